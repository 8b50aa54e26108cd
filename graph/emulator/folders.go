package emulator

import (
	"net/http"
	"strconv"
)

// folderCounts returns the visible total and unread item counts of f. The caller holds the lock.
func (c *call) folderCounts(f *folder) (total, unread int) {
	for _, it := range f.items {
		if it.visible(c.at) {
			total++
			if !it.msg.IsRead {
				unread++
			}
		}
	}
	return total, unread
}

// appendFolder appends the mailFolder resource for f. The caller holds the lock.
func (c *call) appendFolder(b []byte, f *folder) []byte {
	total, unread := c.folderCounts(f)
	b = append(b, `"id":`...)
	b = appendString(b, f.id)
	b = append(b, `,"displayName":`...)
	b = appendString(b, f.displayName)
	b = append(b, `,"parentFolderId":`...)
	b = appendString(b, f.parentID)
	b = append(b, `,"childFolderCount":0,"unreadItemCount":`...)
	b = strconv.AppendInt(b, int64(unread), 10)
	b = append(b, `,"totalItemCount":`...)
	b = strconv.AppendInt(b, int64(total), 10)
	b = append(b, `,"sizeInBytes":`...)
	b = strconv.AppendInt(b, int64(total)*4096, 10)
	b = append(b, `,"isHidden":`...)
	b = strconv.AppendBool(b, f.hidden)
	return append(b, '}')
}

// getFolder serves GET .../mailFolders/{f}.
func (c *call) getFolder(f *folder) *apiError {
	b := append([]byte(nil), `{"@odata.context":`...)
	b = appendString(b, c.base+"/$metadata#"+c.userRef+"/mailFolders/$entity")
	b = append(b, ',')
	c.s.mu.Lock()
	b = c.appendFolder(b, f)
	c.s.mu.Unlock()
	c.writeJSON(http.StatusOK, b)
	return nil
}

// listFolders serves GET .../mailFolders: the well-known top-level folders.
func (c *call) listFolders() *apiError {
	b := append([]byte(nil), `{"@odata.context":`...)
	b = appendString(b, c.base+"/$metadata#"+c.userRef+"/mailFolders")
	b = append(b, `,"value":[`...)
	c.s.mu.Lock()
	for i, f := range c.mb.folders {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		b = c.appendFolder(b, f)
	}
	c.s.mu.Unlock()
	b = append(b, "]}"...)
	c.writeJSON(http.StatusOK, b)
	return nil
}

// listNoFolders serves GET .../mailFolders/{f}/childFolders: the emulator has no child folders.
func (c *call) listNoFolders() *apiError {
	b := append([]byte(nil), `{"@odata.context":`...)
	b = appendString(b, c.base+"/$metadata#"+c.userRef+"/mailFolders/childFolders")
	b = append(b, `,"value":[]}`...)
	c.writeJSON(http.StatusOK, b)
	return nil
}

// getUser serves GET /me and GET /users/{upn}: the user resource of the mailbox owner.
func (c *call) getUser() *apiError {
	b := append([]byte(nil), `{"@odata.context":`...)
	b = appendString(b, c.base+"/$metadata#users/$entity")
	b = append(b, `,"businessPhones":[],"displayName":`...)
	b = appendString(b, c.mb.displayName)
	b = append(b, `,"mail":`...)
	b = appendString(b, c.mb.upn)
	b = append(b, `,"userPrincipalName":`...)
	b = appendString(b, c.mb.upn)
	b = append(b, `,"id":`...)
	b = appendString(b, c.mb.objectID)
	b = append(b, '}')
	c.writeJSON(http.StatusOK, b)
	return nil
}
