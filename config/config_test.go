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
