package config

import (
	"strings"
	"testing"
	"time"
)

func TestUndoSendSetting(t *testing.T) {
	c, err := Load(Flags{}, env(nil))
	if err != nil || c.UndoSend != DefaultUndoSend || c.Origin("undo_send").String() != "default" {
		t.Fatalf("default: %v from %v (%v)", c.UndoSend, c.Origin("undo_send"), err)
	}
	path, e := writeConfig(t, "undo_send = \"10s\"\n")
	c, err = Load(Flags{}, env(e))
	if err != nil || c.UndoSend != 10*time.Second || c.Origin("undo_send").String() != path+":1" {
		t.Fatalf("file: %v from %v (%v)", c.UndoSend, c.Origin("undo_send"), err)
	}
	e[EnvUndoSend] = "0s"
	c, err = Load(Flags{}, env(e))
	if err != nil || c.UndoSend != 0 || c.Origin("undo_send").String() != "env "+EnvUndoSend {
		t.Fatalf("env: %v from %v (%v)", c.UndoSend, c.Origin("undo_send"), err)
	}
	found := false
	for _, s := range c.Settings() {
		found = found || (s.Key == "undo_send" && s.Value == "0s")
	}
	if !found {
		t.Fatal("drafts status does not list undo_send")
	}
	for _, bad := range []string{"soon", "-1s", "1h"} {
		_, err := Load(Flags{}, env(map[string]string{EnvUndoSend: bad}))
		if err == nil || !strings.Contains(err.Error(), EnvUndoSend) || !strings.Contains(err.Error(), "fix: ") {
			t.Errorf("%s=%s: %v", EnvUndoSend, bad, err)
		}
	}
}

func TestRefreshSetting(t *testing.T) {
	c, err := Load(Flags{}, env(nil))
	if err != nil || c.Refresh != DefaultRefresh || c.Origin("refresh").String() != "default" {
		t.Fatalf("default: %v from %v (%v)", c.Refresh, c.Origin("refresh"), err)
	}
	path, e := writeConfig(t, "refresh = \"2m\"\n")
	c, err = Load(Flags{}, env(e))
	if err != nil || c.Refresh != 2*time.Minute || c.Origin("refresh").String() != path+":1" {
		t.Fatalf("file: %v from %v (%v)", c.Refresh, c.Origin("refresh"), err)
	}
	e[EnvRefresh] = "0s"
	c, err = Load(Flags{}, env(e))
	if err != nil || c.Refresh != 0 || c.Origin("refresh").String() != "env "+EnvRefresh {
		t.Fatalf("env: %v from %v (%v)", c.Refresh, c.Origin("refresh"), err)
	}
	for _, bad := range []string{"often", "-30s", "1s"} {
		_, err := Load(Flags{}, env(map[string]string{EnvRefresh: bad}))
		if err == nil || !strings.Contains(err.Error(), EnvRefresh) || !strings.Contains(err.Error(), "fix: ") {
			t.Errorf("%s=%s: %v", EnvRefresh, bad, err)
		}
	}
}
