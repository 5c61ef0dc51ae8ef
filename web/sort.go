package web

import (
	"net/url"
	"slices"
)

// listSort is the order a list's query asks for: ?sort=KEY&dir=asc|desc.
type listSort struct {
	Key  string
	Desc bool
}

// readSort returns the sort of q among keys, def (and defDesc) when q names
// none; a key or a direction the list does not know is q's error.
func readSort(q *query, keys []string, def string, defDesc bool) listSort {
	ls := listSort{Key: def, Desc: defDesc}
	if k := q.Get("sort"); k != "" {
		if !slices.Contains(keys, k) {
			q.fail("sort", k, "the list sorts by one of its columns' names")
			return ls
		}
		ls.Key = k
	}
	switch d := q.Get("dir"); d {
	case "":
	case "asc", "desc":
		ls.Desc = d == "desc"
	default:
		q.fail("dir", d, "asc or desc")
	}
	return ls
}

// sortColumn is the header of a column a list sorts by: its link and
// what aria-sort says of it.
type sortColumn struct {
	Label string
	Href  string
	Sort  string // ascending, descending, or none when the list is sorted by another column
}

// column returns the header of column key: its link sorts the list by key,
// reversing the order when it is sorted by key already, from the first page.
func (ls listSort) column(path string, q url.Values, key, label string, firstDesc bool) sortColumn {
	c := sortColumn{Label: label, Sort: "none"}
	desc := firstDesc
	if ls.Key == key {
		c.Sort, desc = "ascending", !ls.Desc
		if ls.Desc {
			c.Sort = "descending"
		}
	}
	c.Href = linkTo(path, q, "sort", key, "dir", listSort{Desc: desc}.dir(), "after", "", "before", "")
	return c
}

// dir returns the direction as the query writes it: asc or desc.
func (ls listSort) dir() string {
	if ls.Desc {
		return "desc"
	}
	return "asc"
}
