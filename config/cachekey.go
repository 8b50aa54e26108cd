package config

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
)

// encMagic starts an encrypted cache file; a plain one is MSAL's JSON.
var encMagic = []byte("DRAFTS-AES256GCM-1\n")

// readKey fetches the cache key from the keyring.
func (s *Store) readKey(ctx context.Context) ([]byte, error) {
	enc, err := bounded(ctx, s.keyringTimeout, func() (string, error) {
		return s.keyring.Get(keyringService, s.keyringUser)
	})
	if err != nil {
		return nil, err
	}
	key, err := base64.StdEncoding.DecodeString(enc)
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("the token cache key in the OS keyring (item %q) is damaged", keyringService)
	}
	return key, nil
}

// cacheKey returns the key of the encrypted cache file. It asks the keyring
// again when this Store has none yet, since another drafts process may have
// made one since OpenStore; with create, it makes and stores one when the
// keyring has none. A writer calls it holding the exclusive file lock, so
// two processes never make two keys. s.mu is held.
func (s *Store) cacheKey(ctx context.Context, create bool) ([]byte, error) {
	if s.key != nil {
		return s.key, nil
	}
	if !s.encrypt {
		return nil, errors.New("the OS keyring cannot be used now: " + s.why)
	}
	key, err := s.readKey(ctx)
	switch {
	case err == nil:
		s.key = key
		return key, nil
	case !errors.Is(err, ErrNotInKeyring):
		return nil, err
	case !create:
		return nil, errors.New("its key is missing from the OS keyring")
	}
	key = make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	_, err = bounded(ctx, s.keyringTimeout, func() (struct{}, error) {
		return struct{}{}, s.keyring.Set(keyringService, s.keyringUser, base64.StdEncoding.EncodeToString(key))
	})
	if err != nil {
		return nil, err
	}
	s.key = key
	return key, nil
}

// seal encrypts data, creating the key in the keyring on first use. The
// caller holds the exclusive file lock and s.mu.
func (s *Store) seal(ctx context.Context, data []byte) ([]byte, error) {
	key, err := s.cacheKey(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("cannot keep the token cache key in the OS keyring (%v); unlock the keyring, or set token_store = \"file\" (or %s=file) to keep a plain private file", err, EnvTokenStore)
	}
	return sealWith(key, encMagic, encMagic, data)
}

// decrypt opens an encrypted cache file. s.mu is held.
func (s *Store) decrypt(ctx context.Context, data []byte) ([]byte, error) {
	key, err := s.cacheKey(ctx, false)
	if err != nil {
		return nil, err
	}
	plain, err := openWith(key, encMagic, encMagic, data)
	if errors.Is(err, errNoMatch) {
		return nil, errors.New("its key in the OS keyring does not match")
	}
	return plain, err
}

// errNoMatch is openWith's error for data that does not open with the key and binding given.
var errNoMatch = errors.New("the key does not match")

// sealWith encrypts data with AES-256-GCM under key: magic, a random nonce, then the sealed
// data, bound to aad (what the file is for).
func sealWith(key, magic, aad, data []byte) ([]byte, error) {
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out := append(append([]byte(nil), magic...), nonce...)
	return gcm.Seal(out, nonce, data, aad), nil
}

// openWith opens what sealWith sealed with the same key, magic and aad.
func openWith(key, magic, aad, data []byte) ([]byte, error) {
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	body := data[len(magic):]
	if len(body) < gcm.NonceSize() {
		return nil, errors.New("it is truncated")
	}
	plain, err := gcm.Open(nil, body[:gcm.NonceSize()], body[gcm.NonceSize():], aad)
	if err != nil {
		return nil, errNoMatch
	}
	return plain, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}
