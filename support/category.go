package support

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"allot"
)

// Team is who answers a request.
type Team string

// The teams of the desk, and the role of the vendor's staff in each.
const (
	TeamSupport Team = "support" // day-to-day problems: support agents
	TeamSuccess Team = "success" // strategy and growth: customer success managers
)

// Teams lists the teams, Support first.
var Teams = []Team{TeamSupport, TeamSuccess}

// Valid reports whether t is one of Teams.
func (t Team) Valid() bool { return slices.Contains(Teams, t) }

// Role is the role of the staff who work t's queue.
func (t Team) Role() allot.Role {
	if t == TeamSuccess {
		return allot.RoleSuccessManager
	}
	return allot.RoleSupportAgent
}

// Route sends the requests of one category to a team.
type Route struct {
	Category string `json:"category"` // a short key: lower case letters, digits and underscores
	Label    string `json:"label"`    // what a requester chooses
	Team     Team   `json:"team"`
}

// DefaultRoutes is the routing table until the vendor admin edits it:
// day-to-day problems to Support, strategy to Customer Success.
var DefaultRoutes = []Route{
	{"technical", "Technical problem", TeamSupport},
	{"manager_access", "Manager accounts and access", TeamSupport},
	{"member_access", "Member access and invitations", TeamSupport},
	{"member_attributes", "Member details and attributes", TeamSupport},
	{"programme_setup", "Programme configuration", TeamSupport},
	{"ai_setup", "AI configuration", TeamSupport},
	{"licences", "Licence terms and utilisation", TeamSupport},
	{"member_experience", "Member experience", TeamSupport},
	{"escalation", "Escalation", TeamSupport},
	{"rollout", "Rollout planning", TeamSuccess},
	{"engagement", "Engagement insights and reporting", TeamSuccess},
	{"expansion", "Expansion and new programmes", TeamSuccess},
	{"programme_resources", "Programme resources", TeamSuccess},
}

// MaxRoutes bounds the routing table.
const MaxRoutes = 100

// routes returns the routing table: the stored one, or DefaultRoutes
// while the vendor admin has not edited it.
func routes(tx Tx) ([]Route, error) {
	rs, err := tx.Routes()
	if err != nil {
		return nil, fmt.Errorf("routes: %w", err)
	}
	if len(rs) == 0 {
		return DefaultRoutes, nil
	}
	return rs, nil
}

// route returns the route of category, EINVALID on "category" when the
// table has none.
func route(tx Tx, category string) (Route, error) {
	rs, err := routes(tx)
	if err != nil {
		return Route{}, err
	}
	i := slices.IndexFunc(rs, func(r Route) bool { return r.Category == category })
	if i < 0 {
		return Route{}, allot.Invalid("category", "choose one of the categories offered; %q is not one", category)
	}
	return rs[i], nil
}

// Routes returns the routing table, in its order, to anyone signed in:
// requesters choose among its categories.
func (s *Service) Routes(ctx context.Context) ([]Route, error) {
	var out []Route
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) (err error) {
		out, err = routes(tx)
		return err
	})
	return out, err
}

// SetRoutes replaces the routing table (ActSetSupport). Requests already
// open keep their team; EINVALID names the row at fault.
func (s *Service) SetRoutes(ctx context.Context, rs []Route) ([]Route, error) {
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		if err := p.Must(allot.ActSetSupport, p.Home()); err != nil {
			return err
		}
		before, err := routes(tx)
		if err != nil {
			return err
		}
		if rs, err = checkRoutes(rs); err != nil {
			return err
		}
		if err := tx.SetRoutes(rs); err != nil {
			return fmt.Errorf("set routes: %w", err)
		}
		return s.Ledger.Record(tx, p, allot.Company{}, "support.routes", "routes", 0, before, rs)
	})
	return rs, err
}

// checkRoutes trims rs and checks each row, naming the first at fault.
func checkRoutes(rs []Route) ([]Route, error) {
	if len(rs) == 0 || len(rs) > MaxRoutes {
		return nil, allot.Invalid("routes", "the routing table has between 1 and %d categories", MaxRoutes)
	}
	out := make([]Route, len(rs))
	for i, r := range rs {
		r.Category, r.Label = strings.TrimSpace(r.Category), strings.TrimSpace(r.Label)
		field := fmt.Sprintf("routes[%d]", i)
		switch {
		case !validKey(r.Category):
			return nil, allot.Invalid(field+".category", "row %d: a category is 1 to 40 lower-case letters, digits or underscores", i+1)
		case slices.ContainsFunc(out[:i], func(o Route) bool { return o.Category == r.Category }):
			return nil, allot.Invalid(field+".category", "row %d: category %s is listed twice", i+1, r.Category)
		case r.Label == "" || len([]rune(r.Label)) > 100:
			return nil, allot.Invalid(field+".label", "row %d: a label has 1 to 100 characters", i+1)
		case !r.Team.Valid():
			return nil, allot.Invalid(field+".team", "row %d: the team is one of %v", i+1, Teams)
		}
		out[i] = r
	}
	return out, nil
}

// validKey reports whether k is a category key.
func validKey(k string) bool {
	if k == "" || len(k) > 40 {
		return false
	}
	for _, c := range k {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}
