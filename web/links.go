package web

import (
	"net/url"
	"strings"
)

// listTab is one tab above a list: a link to the same list with other
// settings.
type listTab struct {
	Label   string
	Href    string
	Current bool
}

// linkTo returns path with the non-empty values of q as its query, followed
// by name=value pairs that replace what q holds; an empty value drops the
// key.
func linkTo(path string, q url.Values, pairs ...string) string {
	out := url.Values{}
	for k, vs := range q {
		for _, v := range vs {
			if v != "" {
				out.Add(k, v)
			}
		}
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			out.Del(pairs[i])
		} else {
			out.Set(pairs[i], pairs[i+1])
		}
	}
	if len(out) == 0 {
		return path
	}
	return path + "?" + out.Encode()
}

// localPath returns to when it is a path on this site, otherwise def: a
// form's "back" field never sends anyone elsewhere.
func localPath(to, def string) string {
	if !strings.HasPrefix(to, "/") || strings.HasPrefix(to, "//") || strings.HasPrefix(to, "/\\") {
		return def
	}
	return to
}

// listPageSize is how many rows a page of a long list shows.
const listPageSize = 50
