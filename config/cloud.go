package config

import (
	"net/url"
	"strings"
)

// Cloud names a Microsoft cloud: its Graph host and its sign-in host go
// together, so a token is always asked of the authority that serves the
// Graph it is meant for.
type Cloud string

// The clouds drafts knows.
const (
	CloudGlobal   Cloud = "global"   // graph.microsoft.com, login.microsoftonline.com
	CloudUSGov    Cloud = "usgov"    // GCC High: graph.microsoft.us, login.microsoftonline.us
	CloudUSGovDoD Cloud = "usgovdod" // DoD: dod-graph.microsoft.us, login.microsoftonline.us
	CloudChina    Cloud = "china"    // 21Vianet: microsoftgraph.chinacloudapi.cn, login.chinacloudapi.cn
)

type cloudHosts struct {
	graph, login string
}

var clouds = map[Cloud]cloudHosts{
	CloudGlobal:   {"graph.microsoft.com", "login.microsoftonline.com"},
	CloudUSGov:    {"graph.microsoft.us", "login.microsoftonline.us"},
	CloudUSGovDoD: {"dod-graph.microsoft.us", "login.microsoftonline.us"},
	CloudChina:    {"microsoftgraph.chinacloudapi.cn", "login.chinacloudapi.cn"},
}

// cloudNames lists the clouds in the order they are documented.
var cloudNames = []Cloud{CloudGlobal, CloudUSGov, CloudUSGovDoD, CloudChina}

func (c Cloud) hosts() cloudHosts {
	if h, ok := clouds[c]; ok {
		return h
	}
	return clouds[CloudGlobal]
}

// GraphURL is the cloud's Microsoft Graph v1.0 root.
func (c Cloud) GraphURL() string { return "https://" + c.hosts().graph + "/v1.0" }

// GraphResource is the cloud's Graph resource URI, the prefix of its scopes.
func (c Cloud) GraphResource() string { return "https://" + c.hosts().graph }

// LoginURL is the cloud's Microsoft Entra ID sign-in root.
func (c Cloud) LoginURL() string { return "https://" + c.hosts().login }

// DelegatedScopes are the delegated permissions drafts asks for: read and
// write mail, send mail, and with shared also the same in mailboxes others
// have shared with the user (what /users/{upn} needs when signed in as a
// user). MSAL adds openid, profile and offline_access (the refresh token)
// itself. Short names mean Microsoft Graph of the cloud signed in to; the
// DoD Graph has its own host, so its scopes are written out in full.
func (c Cloud) DelegatedScopes(shared bool) []string {
	names := []string{"Mail.ReadWrite", "Mail.Send"}
	if shared {
		names = append(names, "Mail.ReadWrite.Shared", "Mail.Send.Shared")
	}
	if c == CloudUSGovDoD {
		for i, n := range names {
			names[i] = c.GraphResource() + "/" + n
		}
	}
	return names
}

// AppScopes is the scope of an app-only (client credentials) token: every
// application permission granted to the app on the cloud's Graph.
func (c Cloud) AppScopes() []string { return []string{c.GraphResource() + "/.default"} }

// cloudOfGraphURL returns the cloud whose Graph host raw points at.
func cloudOfGraphURL(raw string) (Cloud, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	host := strings.ToLower(u.Hostname())
	for _, c := range cloudNames {
		if clouds[c].graph == host {
			return c, true
		}
	}
	return "", false
}

func parseCloud(s string) (Cloud, bool) {
	c := Cloud(strings.ToLower(strings.TrimSpace(s)))
	_, ok := clouds[c]
	return c, ok
}

func cloudList() string {
	names := make([]string, len(cloudNames))
	for i, c := range cloudNames {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}
