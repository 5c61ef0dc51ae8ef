package store

import (
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
