package savefile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestSaveAllNeverOverwritesAndLeavesNothingOnFailure(t *testing.T) {
	dir := t.TempDir()
	file := func(name, body string) File {
		return File{Name: name, Read: func() ([]byte, error) { return []byte(body), nil }}
	}
	saved, err := SaveAll(dir, []File{file("../a.txt", "A"), file("a.txt", "B"), file("\x1b[2Jb", "C")})
	if err != nil || len(saved) != 3 {
		t.Fatalf("%v %v", saved, err)
	}
	for i, want := range []string{"_a.txt", "a.txt", "[2Jb"} {
		if filepath.Base(saved[i].Path) != want {
			t.Errorf("name %d = %q, want %q", i, filepath.Base(saved[i].Path), want)
		}
	}
	var exists *ExistsError
	if _, err := SaveAll(dir, []File{file("new.txt", "x"), file("a.txt", "y")}); !errors.As(err, &exists) || exists.Names[0] != "a.txt" {
		t.Fatalf("over an existing file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "new.txt")); err == nil {
		t.Fatal("a file was saved although another existed")
	}
	bad := File{Name: "c.txt", Read: func() ([]byte, error) { return nil, errors.New("gone") }}
	var re *ReadError
	if _, err := SaveAll(dir, []File{file("d.txt", "d"), bad}); !errors.As(err, &re) || re.Name != "c.txt" {
		t.Fatalf("a failed read: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Fatalf("files left after a failure: %v", entries)
	}
}
