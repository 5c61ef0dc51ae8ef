package store

import (
	"encoding/json"
	"fmt"
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
	return column[int64](t, `SELECT user_id FROM group_members WHERE company_id = $1 AND group_name = $2 ORDER BY user_id`, companyID, group)
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
	return column[string](t, `SELECT group_name FROM group_members WHERE user_id = $1 ORDER BY group_name`, userID)
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

const syncRunColumns = `id, company_id, source, full_run, status, adds, updates, removals, unchanged, counted, problems, error,
	created_at, finished_at`

func (t *tx) CreateSyncRun(r *directory.SyncRun) error {
	problems, people, err := syncRunJSON(*r)
	if err != nil {
		return err
	}
	return t.insert(&r.ID, `INSERT INTO sync_runs (company_id, source, full_run, status, adds, updates, removals, unchanged, counted,
			problems, people, error, created_at, finished_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		r.CompanyID, r.Source, r.Full, string(r.Status), r.Add, r.Update, r.Deprovision, r.Unchanged, r.Counted, problems, people, r.Error,
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
	err := s.Scan(append([]any{&r.ID, &r.CompanyID, &r.Source, &r.Full, &r.Status, &r.Add, &r.Update, &r.Deprovision, &r.Unchanged, &r.Counted,
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
		`UPDATE sync_runs SET status = $2, adds = $3, updates = $4, removals = $5, unchanged = $6, counted = $10, problems = $7, people = 'null',
			error = $8, finished_at = $9
		WHERE id = $1 AND status = 'held'`,
		r.ID, string(r.Status), r.Add, r.Update, r.Deprovision, r.Unchanged, problems, r.Error, micros(r.FinishedAt), r.Counted)
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
	return column[int64](t, `SELECT user_id FROM provisioned WHERE company_id = $1 ORDER BY user_id`, companyID)
}

// knownColumns reads a user u and what any directory keeps of them, p.
const knownColumns = `SELECT u.id, u.company_id, u.email, u.first_name, u.last_name, u.department, u.manager, u.external_id,
		u.role, u.removed_at <> 0, u.pending, p.user_id IS NOT NULL, COALESCE(p.company_id, 0), COALESCE(p.anchor, ''),
		COALESCE(p.active, false)
	FROM users u LEFT JOIN provisioned p ON p.user_id = u.id `

// KnownPeople reads the company's users and those its directory
// provisioned in another company in one statement.
func (t *tx) KnownPeople(companyID int64) ([]directory.Known, error) {
	return t.known(knownColumns+`WHERE u.company_id = $1
		UNION ALL `+knownColumns+`WHERE p.company_id = $1 AND u.company_id <> $1
		ORDER BY 1`, companyID)
}

// valueRow is a value of a list given as JSON rows.
type valueRow struct {
	V string `json:"v"`
}

// KnownPeopleOf finds the people by the unique indexes on anchors and
// e-mails, reading each list once.
func (t *tx) KnownPeopleOf(companyID int64, anchors, emails []string) ([]directory.Known, error) {
	list := func(values []string) (string, error) {
		rows := make([]valueRow, len(values))
		for i, v := range values {
			rows[i] = valueRow{v}
		}
		b, err := json.Marshal(rows)
		return string(b), err
	}
	a, err := list(anchors)
	if err != nil {
		return nil, err
	}
	e, err := list(emails)
	if err != nil {
		return nil, err
	}
	return t.known(knownColumns+`WHERE u.id IN (
			SELECT pa.user_id FROM `+fmt.Sprintf(t.d.jsonRows, "$2")+` CROSS JOIN provisioned pa
			WHERE pa.company_id = $1 AND pa.anchor = j.value ->> 'v'
			UNION
			SELECT ue.id FROM `+fmt.Sprintf(t.d.jsonRows, "$3")+` CROSS JOIN users ue WHERE ue.email = j.value ->> 'v')
		AND (u.company_id = $1 OR p.company_id = $1)
		ORDER BY u.id`, companyID, a, e)
}

// known runs a query of knownColumns.
func (t *tx) known(query string, args ...any) ([]directory.Known, error) {
	var (
		out []directory.Known
		k   directory.Known
	)
	err := t.list(func(s scanner) error {
		err := s.Scan(&k.UserID, &k.CompanyID, &k.Email, &k.FirstName, &k.LastName, &k.Department, &k.Manager, &k.ExternalID,
			&k.Role, &k.Removed, &k.Pending, &k.Provisioned, &k.ProvisionedBy, &k.Anchor, &k.Active)
		out = append(out, k)
		return err
	}, query, args...)
	return out, err
}

func (t *tx) Memberships(companyID int64, userIDs []int64) ([]directory.Membership, error) {
	var w where
	w.add("company_id = ?", companyID)
	if userIDs != nil {
		w.inIDs(t.d, "user_id", userIDs)
	}
	var (
		out []directory.Membership
		m   directory.Membership
	)
	err := t.list(func(s scanner) error {
		err := s.Scan(&m.UserID, &m.Group)
		out = append(out, m)
		return err
	}, `SELECT user_id, group_name FROM group_members`+w.sql()+` ORDER BY user_id, group_name`, w.args...)
	return out, err
}

// rowsChunk is how many rows one statement of the bulk writes below
// takes: their JSON stays a few megabytes.
const rowsChunk = 5000

// jsonChunks calls fn with each rowsChunk of the n rows, as the JSON
// array row(i) makes of them, and the place of its first row.
func jsonChunks(n int, row func(i int) any, fn func(rows string, from int) error) error {
	var buf []byte
	for from := 0; from < n; from += rowsChunk {
		to := min(from+rowsChunk, n)
		buf = append(buf[:0], '[')
		for i := from; i < to; i++ {
			if i > from {
				buf = append(buf, ',')
			}
			b, err := json.Marshal(row(i))
			if err != nil {
				return err
			}
			buf = append(buf, b...)
		}
		if err := fn(string(append(buf, ']')), from); err != nil {
			return err
		}
	}
	return nil
}

// personRow is a person of the directory as CreateProvisionedUsers passes
// them to the database.
type personRow struct {
	Email      string `json:"email"`
	FirstName  string `json:"first_name"`
	LastName   string `json:"last_name"`
	Department string `json:"department"`
	Manager    string `json:"manager"`
	ExternalID string `json:"external_id"`
	Search     string `json:"search"`
}

// CreateProvisionedUsers inserts the users rowsChunk at a time, each
// chunk one INSERT … SELECT from its rows as JSON.
func (t *tx) CreateProvisionedUsers(like allot.User, people []directory.Person) ([]int64, error) {
	if len(people) == 1 { // as a directory provisions one person: a plain statement is cheaper to prepare
		u, p := like, people[0]
		u.Email, u.FirstName, u.LastName, u.Department, u.Manager, u.ExternalID = p.Email, p.FirstName, p.LastName,
			p.Department, p.Manager, p.ExternalID
		err := t.CreateUser(&u)
		return []int64{u.ID}, err
	}
	rows := fmt.Sprintf(t.d.jsonRows, "$1")
	insert := `INSERT INTO users (email, first_name, last_name, department, manager, external_id, role,
			company_id, lang, zone, created_at, search)
		SELECT j.value ->> 'email', j.value ->> 'first_name', j.value ->> 'last_name', j.value ->> 'department',
			j.value ->> 'manager', j.value ->> 'external_id', $2, $3, $4, $5, $6, j.value ->> 'search'
		FROM ` + rows + ` ORDER BY j.key`
	ids := make([]int64, 0, len(people))
	err := jsonChunks(len(people), func(i int) any {
		p := people[i]
		return personRow{p.Email, p.FirstName, p.LastName, p.Department, p.Manager, p.ExternalID,
			userSearch(allot.User{Email: p.Email, FirstName: p.FirstName, LastName: p.LastName})}
	}, func(chunk string, _ int) error {
		added, err := t.insertAll("users", insert, chunk, string(like.Role), like.CompanyID, like.Lang, like.Zone, micros(like.CreatedAt))
		ids = append(ids, added...)
		return err
	})
	if err == nil && len(ids) != len(people) {
		err = fmt.Errorf("create provisioned users: %d added of %d", len(ids), len(people))
	}
	return ids, err
}

// eventRow is an event as AddEvents passes it to the database.
type eventRow struct {
	At          int64  `json:"at"`
	ActorID     int64  `json:"actor_id"`
	ActorEmail  string `json:"actor_email"`
	CompanyID   int64  `json:"company_id"`
	PartnerID   int64  `json:"partner_id"`
	ManageMode  bool   `json:"manage_mode"`
	Action      string `json:"action"`
	SubjectType string `json:"subject_type"`
	SubjectID   int64  `json:"subject_id"`
	Before      string `json:"before"`
	After       string `json:"after"`
}

// AddEvents inserts the events rowsChunk at a time.
func (t *tx) AddEvents(events []allot.Event) error {
	if len(events) == 1 {
		return t.AddEvent(&events[0])
	}
	insert := eventColumns + `SELECT CAST(j.value ->> 'at' AS BIGINT), CAST(j.value ->> 'actor_id' AS BIGINT),
			j.value ->> 'actor_email', CAST(j.value ->> 'company_id' AS BIGINT), CAST(j.value ->> 'partner_id' AS BIGINT),
			CAST(j.value ->> 'manage_mode' AS BOOLEAN), j.value ->> 'action', j.value ->> 'subject_type',
			CAST(j.value ->> 'subject_id' AS BIGINT), j.value ->> 'before', j.value ->> 'after'
		FROM ` + fmt.Sprintf(t.d.jsonRows, "$1") + ` ORDER BY j.key`
	return jsonChunks(len(events), func(i int) any {
		e := events[i]
		return eventRow{micros(e.At), e.ActorID, e.ActorEmail, e.CompanyID, e.PartnerID, e.ManageMode, e.Action,
			e.SubjectType, e.SubjectID, e.Before, e.After}
	}, func(chunk string, _ int) error {
		_, err := t.exec(insert, chunk)
		return err
	})
}

// provisionedRow is a Provisioned as SaveProvisionedAll passes it.
type provisionedRow struct {
	UserID    int64  `json:"user_id"`
	CompanyID int64  `json:"company_id"`
	Anchor    string `json:"anchor"`
	Active    bool   `json:"active"`
	UpdatedAt int64  `json:"updated_at"`
}

// SaveProvisionedAll upserts rowsChunk people a statement.
func (t *tx) SaveProvisionedAll(ps []directory.Provisioned) error {
	if len(ps) == 1 {
		return t.SaveProvisioned(ps[0])
	}
	// WHERE true tells SQLite that ON CONFLICT is the INSERT's, not a join's.
	upsert := `INSERT INTO provisioned (` + provisionedColumns + `)
		SELECT CAST(j.value ->> 'user_id' AS BIGINT), CAST(j.value ->> 'company_id' AS BIGINT), j.value ->> 'anchor',
			CAST(j.value ->> 'active' AS BOOLEAN), CAST(j.value ->> 'updated_at' AS BIGINT)
		FROM ` + fmt.Sprintf(t.d.jsonRows, "$1") + ` WHERE true
		ON CONFLICT (user_id) DO UPDATE SET company_id = excluded.company_id, anchor = excluded.anchor,
			active = excluded.active, updated_at = excluded.updated_at`
	return jsonChunks(len(ps), func(i int) any {
		p := ps[i]
		return provisionedRow{p.UserID, p.CompanyID, p.Anchor, p.Active, micros(p.UpdatedAt)}
	}, func(chunk string, _ int) error {
		_, err := t.exec(upsert, chunk)
		return err
	})
}

// membershipRow is a Membership as SetGroupsOfAll passes it.
type membershipRow struct {
	UserID int64  `json:"user_id"`
	Group  string `json:"group"`
}

// SetGroupsOfAll deletes the users' memberships in one statement and adds
// the new ones rowsChunk a statement.
func (t *tx) SetGroupsOfAll(companyID int64, userIDs []int64, memberships []directory.Membership) error {
	if len(userIDs) == 0 {
		return nil
	}
	users, arg := t.d.ids("$1", userIDs)
	if _, err := t.exec(`DELETE FROM group_members WHERE user_id IN (SELECT id FROM `+users+` l)`, arg); err != nil {
		return err
	}
	insert := `INSERT INTO group_members (company_id, group_name, user_id)
		SELECT $2, j.value ->> 'group', CAST(j.value ->> 'user_id' AS BIGINT) FROM ` + fmt.Sprintf(t.d.jsonRows, "$1")
	return jsonChunks(len(memberships), func(i int) any {
		return membershipRow{memberships[i].UserID, memberships[i].Group}
	}, func(chunk string, _ int) error {
		_, err := t.exec(insert, chunk, companyID)
		return err
	})
}
