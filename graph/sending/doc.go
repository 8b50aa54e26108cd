// Package sending is the one send engine of drafts: every send — now, later, from the screen or
// the command line — and the settling of sends an earlier run left unfinished go through it.
//
// A send is a value (Send) moved by a pure transition function: Send.Step takes the answer to
// the action it asked for and returns the next Send and the next Action. The machine does no
// I/O and reads no clock; its table tests (machine_test.go) are its documentation, and a
// random walk checks its promises over thousands of histories: at most one message goes out;
// a POST is repeated only after a 429, once its Retry-After has passed; an unclear answer is
// settled by looking in Sent Items and Drafts, never by sending again; the journal entry is
// written before the POST and forgotten exactly when the outcome is known.
//
// Drivers do the actions. Perform does the one request (or journal write) of an action, for
// both; Driver.Run is the command line's blocking loop; the screen (package ui) drives the same
// machine with tea.Cmd and tea.Tick. The Journal (a private file next to the token cache, or
// memory in demo mode) is how a send survives a crash of the program: Recover resumes an entry
// by looking, never by posting.
package sending
