package emulator

import (
	"slices"
	"strings"
	"time"
)

// orderKey is one $orderby term.
type orderKey struct {
	prop string // canonical property name
	desc bool
}

// sortProps are the message properties $orderby accepts, with their comparison functions.
var sortProps = map[string]func(a, b *item) int{
	"createdDateTime":      func(a, b *item) int { return a.msg.CreatedDateTime.Compare(b.msg.CreatedDateTime) },
	"lastModifiedDateTime": func(a, b *item) int { return a.msg.LastModifiedDateTime.Compare(b.msg.LastModifiedDateTime) },
	"receivedDateTime":     func(a, b *item) int { return a.msg.ReceivedDateTime.Compare(b.msg.ReceivedDateTime) },
	"sentDateTime":         func(a, b *item) int { return compareOptTime(a.msg.SentDateTime, b.msg.SentDateTime) },
	"subject": func(a, b *item) int {
		if c := strings.Compare(strings.ToLower(a.msg.Subject), strings.ToLower(b.msg.Subject)); c != 0 {
			return c
		}
		return strings.Compare(a.msg.Subject, b.msg.Subject)
	},
	"importance":     func(a, b *item) int { return importanceRank(a.msg.Importance) - importanceRank(b.msg.Importance) },
	"hasAttachments": func(a, b *item) int { return compareBool(a.msg.HasAttachments, b.msg.HasAttachments) },
	"isRead":         func(a, b *item) int { return compareBool(a.msg.IsRead, b.msg.IsRead) },
}

// defaultOrder is the order of a listing without $orderby: newest received first.
var defaultOrder = []orderKey{{prop: "receivedDateTime", desc: true}}

func compareOptTime(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return a.Compare(*b)
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func importanceRank(s string) int {
	switch strings.ToLower(s) {
	case "low":
		return 0
	case "high":
		return 2
	}
	return 1
}

// sortItems sorts items by keys (nil = default order), ties broken by id so paging is stable.
func sortItems(items []*item, keys []orderKey) {
	if len(keys) == 0 {
		keys = defaultOrder
	}
	cmps := make([]func(a, b *item) int, len(keys))
	for i, k := range keys {
		cmps[i] = sortProps[k.prop]
	}
	slices.SortFunc(items, func(a, b *item) int {
		for i, cmp := range cmps {
			c := cmp(a, b)
			if keys[i].desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return strings.Compare(a.msg.ID, b.msg.ID)
	})
}

// orderKeyString is the cache key of an $orderby.
func orderKeyString(keys []orderKey) string {
	var sb strings.Builder
	for _, k := range keys {
		sb.WriteString(k.prop)
		if k.desc {
			sb.WriteString(" desc")
		}
		sb.WriteByte(',')
	}
	return sb.String()
}
