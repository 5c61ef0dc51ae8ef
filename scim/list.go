package scim

import (
	"context"
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// Paging of lists (RFC 7644 section 3.4.2.4).
const (
	// DefaultCount is how many resources a page holds when the client
	// does not say.
	DefaultCount = 100
	// MaxResults is the most a page holds, whatever the client asks.
	MaxResults = 200
)

// timeLayout is how meta's times are written: UTC, to the millisecond.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// render returns resource r of kind k as clients read it: its document
// with its id, its schemas and meta. base is allot's address.
func render(k *kind, r Resource, base string) (document, error) {
	d, err := decode(r)
	if err != nil {
		return nil, err
	}
	schemas := []any{k.Core.ID}
	for _, e := range k.Extensions {
		if _, ok := d[e.ID]; ok {
			schemas = append(schemas, e.ID)
		}
	}
	d["id"], d["schemas"] = r.ID, schemas
	d["meta"] = map[string]any{"resourceType": k.Name, "created": r.Created.UTC().Format(timeLayout),
		"lastModified": r.Modified.UTC().Format(timeLayout), "location": base + Prefix + k.Endpoint + "/" + r.ID}
	return d, nil
}

// listParams are what a list asks: a filter, a page, the attributes.
type listParams struct {
	filter     string
	startIndex int // 1-based
	count      int // < 0 when not asked
	proj       projection
}

// page returns the offset and the size of the page p asks.
func (p listParams) page() (offset, size int) {
	offset, size = max(p.startIndex, 1)-1, p.count
	if size < 0 {
		size = DefaultCount
	}
	return offset, min(size, MaxResults)
}

// list returns the ListResponse of the company's resources of kind k that
// p asks, oldest first. A filter on userName, externalId, id or
// displayName by eq is looked up; any other is evaluated over the
// company's resources of the kind.
func (s *Service) list(ctx context.Context, companyID int64, k *kind, p listParams, base string) (document, error) {
	var expr filter.Expression
	if strings.TrimSpace(p.filter) != "" {
		var err error
		if expr, err = parseFilter(p.filter); err != nil {
			return nil, err
		}
		if err := k.checkFilter(expr); err != nil {
			return nil, err
		}
	}
	offset, size := p.page()
	q := ResourceQuery{CompanyID: companyID, Type: k.Name}
	if expr != nil {
		q.Field, q.Value = lookup(k, expr)
	}
	var (
		rows  []Resource
		total int
	)
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		if expr == nil {
			if total, err = tx.CountSCIMResources(q); err != nil || size == 0 {
				return err
			}
			q.Offset, q.Limit = offset, size
		}
		rows, err = tx.SCIMResources(q)
		return err
	})
	if err != nil {
		return nil, err
	}
	found := []any{}
	for _, r := range rows {
		d, err := render(k, r, base)
		if err != nil {
			return nil, err
		}
		if expr != nil {
			if ok, err := k.match(expr, d); err != nil {
				return nil, err
			} else if !ok {
				continue
			}
		}
		found = append(found, p.proj.apply(k, d))
	}
	if expr != nil {
		total = len(found)
		found = found[min(offset, len(found)):]
		found = found[:min(size, len(found))]
	}
	return document{"schemas": []string{listSchema}, "totalResults": total, "startIndex": offset + 1,
		"itemsPerPage": len(found), "Resources": found}, nil
}

// lookup returns the field and value of the store that narrow a filter's
// resources: those of an equality on userName, externalId, id or
// displayName, alone or and-ed with others; "" when there is none.
func lookup(k *kind, e filter.Expression) (field, value string) {
	switch e := e.(type) {
	case *filter.LogicalExpression:
		if !strings.EqualFold(string(e.Operator), string(filter.AND)) {
			return "", ""
		}
		if field, value = lookup(k, e.Left); field != "" {
			return field, value
		}
		return lookup(k, e.Right)
	case *filter.AttributeExpression:
		v, ok := unescape(e.CompareValue).(string)
		if !ok || !strings.EqualFold(string(e.Operator), string(filter.EQ)) || e.AttributePath.SubAttribute != nil {
			return "", ""
		}
		if uri := e.AttributePath.URI(); uri != "" && !strings.EqualFold(uri, k.Core.ID) {
			return "", ""
		}
		switch name := e.AttributePath.AttributeName; {
		case k.Key != "" && strings.EqualFold(name, k.Key):
			return FieldUserName, strings.ToLower(v)
		case strings.EqualFold(name, "externalId"):
			return FieldExternalID, v
		case strings.EqualFold(name, "id"):
			return FieldID, v
		case strings.EqualFold(name, "displayName"):
			return FieldDisplayName, strings.ToLower(v)
		}
	}
	return "", ""
}
