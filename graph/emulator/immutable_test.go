package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const preferImmutable = `IdType="ImmutableId"`

func TestImmutableIDsSurviveMovesNotSending(t *testing.T) {
	e := newEnv(t, Options{NoSendDelay: true})
	resp, data := e.do(http.MethodPost, "/me/messages", `{"subject":"keep me","toRecipients":[{"emailAddress":{"address":"a@contoso.example"}}]}`,
		"Prefer", preferImmutable)
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Preference-Applied") != preferImmutable {
		t.Fatalf("%s, Preference-Applied %q", resp.Status, resp.Header.Get("Preference-Applied"))
	}
	var created Message
	if err := json.Unmarshal(data, &created); err != nil {
		t.Fatal(err)
	}
	imm := created.ID
	regular := e.s.Drafts("")[0].ID
	if !strings.HasPrefix(imm, "AAkALg") || imm == regular {
		t.Fatalf("immutable id %q, default id %q", imm, regular)
	}
	// Either form finds it; without the header the answer shows the default id.
	if m := e.getJSON("/me/messages/"+imm, http.StatusOK); m["id"] != regular {
		t.Fatalf("GET by immutable id without the header: id %v", m["id"])
	}
	if m := e.getJSON("/me/messages/"+regular, http.StatusOK, "Prefer", preferImmutable); m["id"] != imm {
		t.Fatalf("GET by default id with the header: id %v", m["id"])
	}
	// A move without the header changes the default id, not the immutable one.
	resp, data = e.do(http.MethodPost, "/me/messages/"+regular+"/move", `{"destinationId":"inbox"}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("move: %s %s", resp.Status, data)
	}
	var moved Message
	json.Unmarshal(data, &moved)
	if moved.ID == regular || moved.ID == imm {
		t.Fatalf("moved default id %q", moved.ID)
	}
	m := e.getJSON("/me/messages/"+imm, http.StatusOK, "Prefer", preferImmutable)
	inbox := e.getJSON("/me/mailFolders/inbox", http.StatusOK)
	if m["id"] != imm || m["parentFolderId"] != inbox["id"] {
		t.Fatalf("after the move: id %v in %v", m["id"], m["parentFolderId"])
	}
	resp, data = e.do(http.MethodGet, "/me/messages/"+regular, "")
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
	// Listings show immutable ids when asked.
	p := e.list("/me/mailFolders/inbox/messages?$select=subject", "Prefer", preferImmutable)
	if len(p.Value) != 1 || p.Value[0].ID != imm {
		t.Fatalf("inbox listing: %+v", p.Value)
	}
	// Back to Drafts with the header, then sent: the Sent Items copy is a new item.
	resp, data = e.do(http.MethodPost, "/me/messages/"+imm+"/move", `{"destinationId":"drafts"}`, "Prefer", preferImmutable)
	if err := json.Unmarshal(data, &moved); err != nil || resp.StatusCode != http.StatusCreated || moved.ID != imm {
		t.Fatalf("move back: %s id %q", resp.Status, moved.ID)
	}
	resp, _ = e.do(http.MethodPost, "/me/messages/"+imm+"/send", "", "Content-Length", "0", "Prefer", preferImmutable)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatal(resp.Status)
	}
	resp, data = e.do(http.MethodGet, "/me/messages/"+imm, "", "Prefer", preferImmutable)
	wantError(t, resp, data, http.StatusNotFound, "ErrorItemNotFound")
	p = e.list("/me/mailFolders/sentitems/messages?$filter="+url.QueryEscape("internetMessageId eq '"+created.InternetMessageID+"'"),
		"Prefer", preferImmutable)
	if len(p.Value) != 1 || p.Value[0].ID == imm || !strings.HasPrefix(p.Value[0].ID, "AAkALg") {
		t.Fatalf("sent copy: %+v", p.Value)
	}
}

func TestImmutableIDSurvivesDeleteToDeletedItems(t *testing.T) {
	e := newEnv(t, Options{})
	d := e.s.AddDraft(Draft{Subject: "bin me"})
	imm := e.getJSON("/me/messages/"+d.ID, http.StatusOK, "Prefer", preferImmutable)["id"].(string)
	if resp, _ := e.do(http.MethodDelete, "/me/messages/"+d.ID, ""); resp.StatusCode != http.StatusNoContent {
		t.Fatal(resp.Status)
	}
	m := e.getJSON("/me/messages/"+imm, http.StatusOK, "Prefer", preferImmutable)
	deleted := e.getJSON("/me/mailFolders/deleteditems", http.StatusOK)
	if m["id"] != imm || m["parentFolderId"] != deleted["id"] {
		t.Fatalf("deleted: %v in %v", m["id"], m["parentFolderId"])
	}
}
