package store

import (
	"encoding/json"
	"slices"
	"strings"

	"allot"

	"allot/directory"
)

const provisionedColumns = `user_id, company_id, anchor, active, updated_at`

func scanProvisioned(p *directory.Provisioned) func(scanner) error {
	return func(s scanner) error {
		var updated int64
		err := s.Scan(&p.UserID, &p.CompanyID, &p.Anchor, &p.Active, &updated)
		p.UpdatedAt = fromMicros(updated)
		return err
	}
}

func (t *tx) ProvisionedByAnchor(companyID int64, anchor string) (directory.Provisioned, error) {
	var p directory.Provisioned
	err := t.get("person", scanProvisioned(&p), `SELECT `+provisionedColumns+` FROM provisioned WHERE company_id = $1 AND anchor = $2`,
		companyID, anchor)
	return p, err
}

func (t *tx) ProvisionedUser(userID int64) (directory.Provisioned, error) {
	var p directory.Provisioned
	err := t.get("person", scanProvisioned(&p), `SELECT `+provisionedColumns+` FROM provisioned WHERE user_id = $1`, userID)
	return p, err
}

func (t *tx) SaveProvisioned(p directory.Provisioned) error {
	_, err := t.exec(`INSERT INTO provisioned (`+provisionedColumns+`) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id) DO UPDATE SET company_id = excluded.company_id, anchor = excluded.anchor,
			active = excluded.active, updated_at = excluded.updated_at`,
		p.UserID, p.CompanyID, p.Anchor, p.Active, micros(p.UpdatedAt))
	return err
}

func (t *tx) GroupMembers(companyID int64, group string) ([]int64, error) {
	var out []int64
	err := t.list(func(s scanner) error {
		var id int64
		err := s.Scan(&id)
		out = append(out, id)
		return err
	}, `SELECT user_id FROM group_members WHERE company_id = $1 AND group_name = $2 ORDER BY user_id`, companyID, group)
	return out, err
}

// SetGroupMembers replaces the group's members in two statements, the new
// ones given as one list.
func (t *tx) SetGroupMembers(companyID int64, group string, userIDs []int64) error {
	if _, err := t.exec(`DELETE FROM group_members WHERE company_id = $1 AND group_name = $2`, companyID, group); err != nil {
		return err
	}
	if len(userIDs) == 0 {
		return nil
	}
	users, arg := t.d.ids("$3", userIDs)
	_, err := t.exec(`INSERT INTO group_members (company_id, group_name, user_id) SELECT $1, $2, l.id FROM `+users+` l`,
		companyID, group, arg)
	return err
}

func (t *tx) GroupsOf(userID int64) ([]string, error) {
	var out []string
	err := t.list(func(s scanner) error {
		var g string
		err := s.Scan(&g)
		out = append(out, g)
		return err
	}, `SELECT group_name FROM group_members WHERE user_id = $1 ORDER BY group_name`, userID)
	return out, err
}

// SetGroupsOf replaces the user's memberships, a statement a group.
func (t *tx) SetGroupsOf(companyID, userID int64, groups []string) error {
	if _, err := t.exec(`DELETE FROM group_members WHERE user_id = $1`, userID); err != nil {
		return err
	}
	for _, g := range groups {
		if _, err := t.exec(`INSERT INTO group_members (company_id, group_name, user_id) VALUES ($1, $2, $3)`, companyID, g, userID); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) GroupMappings(companyID int64) ([]directory.GroupMapping, error) {
	var out []directory.GroupMapping
	err := t.list(func(s scanner) error {
		var (
			m       directory.GroupMapping
			created int64
		)
		err := s.Scan(&m.ID, &m.CompanyID, &m.Group, &m.ProductID, &created)
		m.CreatedAt = fromMicros(created)
		out = append(out, m)
		return err
	}, `SELECT id, company_id, group_name, product_id, created_at FROM group_mappings WHERE company_id = $1 ORDER BY id`, companyID)
	return out, err
}

func (t *tx) CreateGroupMapping(m *directory.GroupMapping) error {
	return t.insert(&m.ID, `INSERT INTO group_mappings (company_id, group_name, product_id, created_at) VALUES ($1, $2, $3, $4)
		RETURNING id`, m.CompanyID, m.Group, m.ProductID, micros(m.CreatedAt))
}

func (t *tx) DeleteGroupMapping(companyID, id int64) error {
	return t.execOne(allot.NotFound("group mapping"), `DELETE FROM group_mappings WHERE company_id = $1 AND id = $2`, companyID, id)
}

func (t *tx) ProvisionedPeople(companyID int64) ([]directory.Provisioned, error) {
	var (
		out []directory.Provisioned
		p   directory.Provisioned
	)
	err := t.list(func(s scanner) error {
		err := scanProvisioned(&p)(s)
		out = append(out, p)
		return err
	}, `SELECT `+provisionedColumns+` FROM provisioned WHERE company_id = $1 AND active ORDER BY user_id`, companyID)
	return out, err
}

const syncRunColumns = `id, company_id, source, full_run, status, adds, updates, removals, unchanged, problems, error,
	created_at, finished_at`

func (t *tx) CreateSyncRun(r *directory.SyncRun) error {
	problems, people, err := syncRunJSON(*r)
	if err != nil {
		return err
	}
	return t.insert(&r.ID, `INSERT INTO sync_runs (company_id, source, full_run, status, adds, updates, removals, unchanged,
			problems, people, error, created_at, finished_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		r.CompanyID, r.Source, r.Full, string(r.Status), r.Add, r.Update, r.Deprovision, r.Unchanged, problems, people, r.Error,
		micros(r.CreatedAt), micros(r.FinishedAt))
}

// syncRunJSON is how a run keeps its problems and its people.
func syncRunJSON(r directory.SyncRun) (problems, people string, err error) {
	p, err := json.Marshal(r.Problems)
	if err != nil {
		return "", "", err
	}
	q, err := json.Marshal(r.People)
	return string(p), string(q), err
}

func (t *tx) SyncRun(id int64) (directory.SyncRun, error) {
	var (
		r      directory.SyncRun
		people string
	)
	err := t.get("sync run", func(s scanner) error {
		return scanSyncRun(&r, s, &people)
	}, `SELECT `+syncRunColumns+`, people FROM sync_runs WHERE id = $1`, id)
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal([]byte(people), &r.People)
}

func (t *tx) SyncRuns(companyID int64, limit int) ([]directory.SyncRun, error) {
	var out []directory.SyncRun
	err := t.list(func(s scanner) error {
		var r directory.SyncRun
		err := scanSyncRun(&r, s)
		out = append(out, r)
		return err
	}, `SELECT `+syncRunColumns+` FROM sync_runs WHERE company_id = $1 ORDER BY id DESC LIMIT $2`, companyID, limit)
	return out, err
}

// scanSyncRun scans syncRunColumns, and then more.
func scanSyncRun(r *directory.SyncRun, s scanner, more ...any) error {
	var (
		problems          string
		created, finished int64
	)
	err := s.Scan(append([]any{&r.ID, &r.CompanyID, &r.Source, &r.Full, &r.Status, &r.Add, &r.Update, &r.Deprovision, &r.Unchanged,
		&problems, &r.Error, &created, &finished}, more...)...)
	if err != nil {
		return err
	}
	r.CreatedAt, r.FinishedAt = fromMicros(created), fromMicros(finished)
	return json.Unmarshal([]byte(problems), &r.Problems)
}

func (t *tx) FinishSyncRun(r directory.SyncRun) error {
	problems, _, err := syncRunJSON(r)
	if err != nil {
		return err
	}
	return t.execOne(allot.Errorf(allot.ECONFLICT, "the run is not held any more"),
		`UPDATE sync_runs SET status = $2, adds = $3, updates = $4, removals = $5, unchanged = $6, problems = $7, people = 'null',
			error = $8, finished_at = $9
		WHERE id = $1 AND status = 'held'`,
		r.ID, string(r.Status), r.Add, r.Update, r.Deprovision, r.Unchanged, problems, r.Error, micros(r.FinishedAt))
}

func (t *tx) OwnedFields(companyID int64) (directory.Owned, error) {
	var fields string
	err := t.get("owned fields", func(s scanner) error { return s.Scan(&fields) },
		`SELECT fields FROM directory_owned WHERE company_id = $1`, companyID)
	switch {
	case allot.ErrorCode(err) == allot.ENOTFOUND:
		return slices.Clone(directory.PersonFields), nil
	case err != nil || fields == "":
		return directory.Owned{}, err
	}
	return strings.Split(fields, ","), nil
}

func (t *tx) SetOwnedFields(companyID int64, fields directory.Owned) error {
	_, err := t.exec(`INSERT INTO directory_owned (company_id, fields) VALUES ($1, $2)
		ON CONFLICT (company_id) DO UPDATE SET fields = excluded.fields`, companyID, strings.Join(fields, ","))
	return err
}

func (t *tx) ProvisionedIDs(companyID int64) ([]int64, error) {
	var out []int64
	err := t.list(func(s scanner) error {
		var id int64
		err := s.Scan(&id)
		out = append(out, id)
		return err
	}, `SELECT user_id FROM provisioned WHERE company_id = $1 ORDER BY user_id`, companyID)
	return out, err
}
