package main

// dumbTerminal refuses the full screen on a terminal that cannot move its cursor (TERM=dumb:
// Emacs' shell buffers, some CI and IDE consoles): the screen would be a stream of escape
// sequences. Before anything is drawn or asked of the terminal, a line says what works there.
func (a *app) dumbTerminal() error {
	if a.getenv("TERM") != "dumb" {
		return nil
	}
	return usageErrorf("this terminal (TERM=dumb) cannot show the drafts screen; here use 'drafts list' and 'drafts send ID' (see 'drafts --help'), or set TERM to your terminal's type, e.g. TERM=xterm-256color")
}
