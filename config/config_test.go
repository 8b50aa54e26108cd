package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadPrecedence(t *testing.T) {
	e := env(map[string]string{EnvGraphURL: "https://graph.microsoft.us/v1.0", EnvMailbox: "env@contoso.example", EnvAccessToken: " Bearer abc "})
	c, err := Load(Flags{}, e)
	if err != nil {
		t.Fatal(err)
	}
	if c.GraphURL != "https://graph.microsoft.us/v1.0" || c.Mailbox != "env@contoso.example" || c.AccessToken != "abc" {
		t.Fatalf("env not applied: %+v", c)
	}
	c, err = Load(Flags{GraphURL: "http://127.0.0.1:1/v1.0", GraphURLSet: true, Mailbox: "", MailboxSet: true}, e)
	if err != nil {
		t.Fatal(err)
	}
	if c.GraphURL != "http://127.0.0.1:1/v1.0" || c.Mailbox != "" {
		t.Fatalf("flags must override the environment, even when empty: %+v", c)
	}
	c, _ = Load(Flags{}, env(nil))
	if c.GraphURL != "https://graph.microsoft.com/v1.0" {
		t.Fatalf("default graph url = %q", c.GraphURL)
	}
}

func TestLoadRejectsMailboxWithoutAt(t *testing.T) {
	_, err := Load(Flags{Mailbox: "shared", MailboxSet: true}, env(nil))
	if err == nil || !strings.Contains(err.Error(), "shared@contoso.com") {
		t.Fatalf("err = %v", err)
	}
}

// A token that cannot go in a header is a bad setting, named and never repeated.
func TestLoadRejectsATokenWithASpace(t *testing.T) {
	for _, tok := range []string{"abc def", "abc\ndef", "\"abc def\""} {
		_, err := Load(Flags{}, env(map[string]string{EnvAccessToken: tok}))
		if err == nil || !strings.Contains(err.Error(), EnvAccessToken+" (environment)") || strings.Contains(err.Error(), "abc") {
			t.Errorf("%q: err = %v", tok, err)
		}
	}
	if c, err := Load(Flags{}, env(map[string]string{EnvAccessToken: "Bearer eyJ0.abc.def\n"})); err != nil || c.AccessToken != "eyJ0.abc.def" {
		t.Errorf("a token with its Bearer and a newline around it: %q, %v", c.AccessToken, err)
	}
}

func TestStringHidesToken(t *testing.T) {
	c := Config{AccessToken: "super-secret"}
	if strings.Contains(c.String(), "super-secret") || strings.Contains((&c).String(), "super-secret") {
		t.Fatal("token printed")
	}
}

func TestNewClientNamesTheSettingOnBadURL(t *testing.T) {
	c := Config{GraphURL: "http://graph.example.com/v1.0"}
	_, err := c.NewClient("", nil, nil)
	if err == nil || !strings.Contains(err.Error(), EnvGraphURL) {
		t.Fatalf("err = %v", err)
	}
}
