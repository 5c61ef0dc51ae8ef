package store

import (
	"strconv"
	"strings"

	"allot"
)

func (t *tx) CreatePartner(p *allot.Partner) error {
	return t.insert(&p.ID, `INSERT INTO partners (name, account_manager_id, created_at) VALUES ($1, $2, $3) RETURNING id`,
		p.Name, p.AccountManagerID, micros(p.CreatedAt))
}

const partnerColumns = `id, name, account_manager_id, created_at`

func scanPartner(p *allot.Partner) func(scanner) error {
	return func(s scanner) error {
		var created int64
		err := s.Scan(&p.ID, &p.Name, &p.AccountManagerID, &created)
		p.CreatedAt = fromMicros(created)
		return err
	}
}

func (t *tx) Partner(id int64) (allot.Partner, error) {
	var p allot.Partner
	err := t.get("partner", scanPartner(&p), `SELECT `+partnerColumns+` FROM partners WHERE id = $1`, id)
	return p, err
}

func (t *tx) Partners(f allot.PartnerFilter) ([]allot.Partner, error) {
	var (
		out []allot.Partner
		p   allot.Partner
	)
	var w where
	if f.AccountManagerID != 0 {
		w.add("account_manager_id = ?", f.AccountManagerID)
	}
	w.afterByName("partners", f.AfterID)
	err := t.list(func(s scanner) error {
		err := scanPartner(&p)(s)
		out = append(out, p)
		return err
	}, `SELECT `+partnerColumns+` FROM partners`+w.sql()+` ORDER BY name, id LIMIT `+w.arg(limit(f.Limit)), w.args...)
	return out, err
}

func (t *tx) CreateCompany(c *allot.Company) error {
	return t.insert(&c.ID, `INSERT INTO companies (partner_id, name, account_manager_id, default_product_id, suspended, created_at,
			search, reminder_offsets, mails_off, fill_waiting_off)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		c.PartnerID, c.Name, c.AccountManagerID, c.DefaultProductID, c.Suspended, micros(c.CreatedAt), searchText(c.Name),
		c.ReminderOffsets, c.MailsOff, c.FillWaitingOff)
}

func (t *tx) UpdateCompany(c allot.Company) error {
	return t.execOne(allot.NotFound("company"), `UPDATE companies SET name = $2, account_manager_id = $3, default_product_id = $4, suspended = $5,
		search = $6, reminder_offsets = $7, mails_off = $8, fill_waiting_off = $9 WHERE id = $1`,
		c.ID, c.Name, c.AccountManagerID, c.DefaultProductID, c.Suspended, searchText(c.Name), c.ReminderOffsets, c.MailsOff,
		c.FillWaitingOff)
}

const companyColumns = `id, partner_id, name, account_manager_id, default_product_id, suspended, created_at, reminder_offsets, mails_off,
	fill_waiting_off`

func scanCompany(c *allot.Company) func(scanner) error {
	return func(s scanner) error {
		var created int64
		err := s.Scan(&c.ID, &c.PartnerID, &c.Name, &c.AccountManagerID, &c.DefaultProductID, &c.Suspended, &created, &c.ReminderOffsets, &c.MailsOff,
			&c.FillWaitingOff)
		c.CreatedAt = fromMicros(created)
		return err
	}
}

func (t *tx) Company(id int64) (allot.Company, error) {
	var c allot.Company
	err := t.get("company", scanCompany(&c), `SELECT `+companyColumns+` FROM companies WHERE id = $1`, id)
	return c, err
}

func (t *tx) Companies(f allot.CompanyFilter) ([]allot.Company, error) {
	w := companyWhere(f)
	order := companyOrder(&w, f)
	var (
		out []allot.Company
		c   allot.Company
	)
	err := t.list(func(s scanner) error {
		err := scanCompany(&c)(s)
		out = append(out, c)
		return err
	}, `SELECT `+companyColumns+` FROM companies`+w.sql()+order+` LIMIT `+w.arg(limit(f.Limit)), w.args...)
	return out, err
}

// companyWhere returns the conditions of f but its paging.
func companyWhere(f allot.CompanyFilter) where {
	var w where
	if f.PartnerID != 0 {
		w.add("partner_id = ?", f.PartnerID)
	}
	if f.DirectOnly {
		w.add("partner_id = 0")
	}
	if f.Search != "" {
		w.add("search LIKE ? ESCAPE '\\'", likePattern(f.Search))
	}
	return w
}

func (t *tx) CreateProduct(p *allot.Product) error {
	return t.insert(&p.ID, `INSERT INTO products (code, name, term_months, url, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		p.Code, p.Name, p.TermMonths, p.URL, micros(p.CreatedAt))
}

const productColumns = `id, code, name, term_months, url, created_at`

func scanProduct(p *allot.Product) func(scanner) error {
	return func(s scanner) error {
		var created int64
		err := s.Scan(&p.ID, &p.Code, &p.Name, &p.TermMonths, &p.URL, &created)
		p.CreatedAt = fromMicros(created)
		return err
	}
}

func (t *tx) Product(id int64) (allot.Product, error) {
	var p allot.Product
	err := t.get("product", scanProduct(&p), `SELECT `+productColumns+` FROM products WHERE id = $1`, id)
	return p, err
}

func (t *tx) ProductByCode(code string) (allot.Product, error) {
	var p allot.Product
	err := t.get("product", scanProduct(&p), `SELECT `+productColumns+` FROM products WHERE code = $1`, code)
	return p, err
}

func (t *tx) Products() ([]allot.Product, error) {
	var (
		out []allot.Product
		p   allot.Product
	)
	err := t.list(func(s scanner) error {
		err := scanProduct(&p)(s)
		out = append(out, p)
		return err
	}, `SELECT `+productColumns+` FROM products ORDER BY code`)
	return out, err
}

// where builds a WHERE clause from conditions written with ? for their
// arguments, numbered $1..$N in order as both databases expect.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	for _, a := range args {
		w.args = append(w.args, a)
		cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(w.args)), 1)
	}
	w.conds = append(w.conds, cond)
}

// whereIn adds to w the condition that column is one of values.
func whereIn[T any](w *where, column string, values []T) {
	list := make([]string, len(values))
	for i, v := range values {
		list[i] = w.arg(v)
	}
	w.conds = append(w.conds, column+" IN ("+strings.Join(list, ", ")+")")
}

// inIDs adds to w the condition that column is one of ids, given as one
// parameter however many they are.
func (w *where) inIDs(d dialect, column string, ids []int64) {
	table, arg := d.ids("$"+strconv.Itoa(len(w.args)+1), ids)
	w.args = append(w.args, arg)
	w.conds = append(w.conds, column+" IN (SELECT id FROM "+table+" l)")
}

// afterByName adds, when id is not 0, the condition that selects the rows
// of table after row id, by name then ID.
func (w *where) afterByName(table string, id int64) {
	if id != 0 {
		w.add("(name, id) > ((SELECT name FROM "+table+" WHERE id = ?), ?)", id, id)
	}
}

// arg adds an argument without a condition and returns its placeholder.
func (w *where) arg(a any) string {
	w.args = append(w.args, a)
	return "$" + strconv.Itoa(len(w.args))
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// searchText is what a search column holds: the parts, in lower case.
func searchText(parts ...string) string {
	return strings.ToLower(strings.Join(parts, "\n"))
}

// likePattern returns a LIKE pattern matching s anywhere, lower case, with
// the pattern's own special characters escaped.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(strings.TrimSpace(s))) + "%"
}
