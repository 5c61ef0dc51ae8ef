package api

import (
	"context"
	"time"

	"allot/reclaim"
)

// reclaimRule is a company's reclaim rule.
type reclaimRule struct {
	ID        int64     `json:"id"`
	Product   string    `json:"product,omitempty" example:"premium" doc:"The product whose seats it acts on; absent for the company-wide rule, which acts on the products without a rule of their own."`
	Days      int       `json:"days" example:"90" doc:"A seat goes back after this many days without a login, counted from the last login or, for a learner who never logged in, from when the seat began."`
	WarnDays  int       `json:"warn_days" example:"14" doc:"The learner is warned by e-mail this many days before; 0 for no warning."`
	Enabled   bool      `json:"enabled" doc:"Whether the rule runs (every hour)."`
	ChangedBy string    `json:"changed_by" example:"cm@acme.example" doc:"Who changed the rule last."`
	ChangedAt time.Time `json:"changed_at"`
}

func toReclaimRule(r reclaim.Rule) reclaimRule {
	return reclaimRule{ID: r.ID, Product: r.ProductCode, Days: r.Days, WarnDays: r.WarnDays, Enabled: r.Enabled,
		ChangedBy: r.ChangedBy, ChangedAt: r.ChangedAt}
}

func (s *Server) reclaimRules(ctx context.Context, in *idInput) (*listOutput[reclaimRule], error) {
	rules, err := s.reclaim.Rules(ctx, in.ID)
	return list(rules, err, toReclaimRule)
}

// reclaimRuleInput is a rule as the caller sets it.
type reclaimRuleInput struct {
	Product  string `json:"product,omitempty" example:"premium" doc:"A product's code; absent for the company-wide rule."`
	Days     int    `json:"days" minimum:"1" maximum:"3650" example:"90"`
	WarnDays int    `json:"warn_days,omitempty" minimum:"0" maximum:"3649" example:"14" doc:"Fewer than days; 0 or absent for no warning."`
	Enabled  bool   `json:"enabled,omitempty" doc:"Switch it on: preview it first."`
}

type reclaimRulesInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Rules []reclaimRuleInput `json:"rules" maxItems:"100" doc:"The company's rules, at most one per product: the others are deleted."`
	}
}

func (s *Server) putReclaimRules(ctx context.Context, in *reclaimRulesInput) (*listOutput[reclaimRule], error) {
	ins := make([]reclaim.RuleInput, len(in.Body.Rules))
	for i, r := range in.Body.Rules {
		ins[i] = reclaim.RuleInput{ProductCode: r.Product, Days: r.Days, WarnDays: r.WarnDays, Enabled: r.Enabled}
	}
	rules, err := s.reclaim.SetRules(ctx, in.ID, ins)
	return list(rules, err, toReclaimRule)
}

// reclaimPlan is what one rule would do now.
type reclaimPlan struct {
	Rule    reclaimRule    `json:"rule"`
	Reclaim []reclaimEntry `json:"reclaim" doc:"The seats it would release now."`
	Warn    []reclaimEntry `json:"warn" doc:"The learners it would warn now."`
	Warned  []reclaimEntry `json:"warned" doc:"The learners it warned, whose seats go back at reclaim_at."`
}

// reclaimEntry is a seat a rule acts on.
type reclaimEntry struct {
	SeatID      int64     `json:"seat_id"`
	UserID      int64     `json:"user_id"`
	Email       string    `json:"email"`
	Product     string    `json:"product" doc:"The product's name."`
	LastLoginAt time.Time `json:"last_login_at,omitzero" doc:"Absent when the learner never logged in."`
	IdleSince   time.Time `json:"idle_since"`
	ReclaimAt   time.Time `json:"reclaim_at" doc:"When the seat goes back."`
}

func toReclaimPlan(pl reclaim.Plan) reclaimPlan {
	entries := func(es []reclaim.Entry) []reclaimEntry {
		out := make([]reclaimEntry, len(es))
		for i, e := range es {
			out[i] = reclaimEntry{SeatID: e.SeatID, UserID: e.UserID, Email: e.Email, Product: e.Product, LastLoginAt: e.LastLoginAt,
				IdleSince: e.IdleSince, ReclaimAt: e.ReclaimAt}
		}
		return out
	}
	return reclaimPlan{Rule: toReclaimRule(pl.Rule), Reclaim: entries(pl.Reclaim), Warn: entries(pl.Warn), Warned: entries(pl.Warned)}
}

func (s *Server) reclaimPreview(ctx context.Context, in *idInput) (*listOutput[reclaimPlan], error) {
	plans, err := s.reclaim.Preview(ctx, in.ID)
	return list(plans, err, toReclaimPlan)
}
