package store

import (
	"strings"
	"time"

	"allot"

	"allot/programme"
)

// shifts are how a change of the clocks is stored.
var shifts = map[programme.Shift]string{programme.NoShift: "", programme.Gap: "gap", programme.Overlap: "overlap"}

// CreateInvitations adds the invitations in one INSERT … SELECT from the
// list of users, and links them to their seats in another.
func (t *tx) CreateInvitations(p programme.CreateInvitationsParams) ([]int64, error) {
	users, arg := t.d.ids("$1", p.UserIDs)
	inv := p.Invitation
	ids, err := t.insertAll("invitations", `INSERT INTO invitations (programme_id, company_id, user_id, lang, zone, local_at, shift,
			send_at, remind_days, invited_by, created_at, sent_at)
		SELECT $2, $3, l.id, $4, $5, $6, $7, $8, $9, $10, $11, $12 FROM `+users+` l ORDER BY l.n`,
		arg, inv.ProgrammeID, inv.CompanyID, inv.Lang, inv.Zone, inv.Local.String(), shifts[inv.Shift],
		micros(inv.SendAt), inv.RemindDays, inv.InvitedBy, micros(inv.CreatedAt), micros(inv.SentAt))
	if err != nil || len(p.SeatIDs) == 0 {
		return ids, err
	}
	// Each seat finds its person's invitations by the index of their
	// users, and keeps the new one. The unary + keeps SQLite from taking
	// the list of new invitations as keys to look up for each seat (which
	// reads the whole list for each, the square of their number: 20 s for
	// 10,000) rather than as a set each invitation found is looked up in.
	invitations, invArg := t.d.ids("$1", ids)
	seats, seatArg := t.d.ids("$2", p.SeatIDs)
	_, err = t.exec(`INSERT INTO invitation_seats (invitation_id, seat_id)
		SELECT i.id, s.id FROM invitations i JOIN seats s ON s.user_id = i.user_id
		WHERE +i.id IN (SELECT id FROM `+invitations+` li) AND s.id IN (SELECT id FROM `+seats+` ls)`, invArg, seatArg)
	return ids, err
}

func (t *tx) Invitation(id int64) (programme.Invitation, error) {
	invs, err := t.invitations(`i.id = $1`, id)
	if err == nil && len(invs) == 0 {
		err = allot.NotFound("invitation")
	}
	if err != nil {
		return programme.Invitation{}, err
	}
	return invs[0], nil
}

func (t *tx) Invitations(f programme.InvitationFilter) ([]programme.Invitation, error) {
	var w where
	if f.ProgrammeID != 0 {
		w.add("i.programme_id = ?", f.ProgrammeID)
	}
	if f.CompanyID != 0 {
		w.add("i.company_id = ?", f.CompanyID)
	}
	if len(f.UserIDs) > 0 {
		w.inIDs(t.d, "i.user_id", f.UserIDs)
	}
	if f.Scheduled {
		w.add("i.sent_at = 0 AND i.cancelled_at = 0")
	}
	if len(w.conds) == 0 {
		w.add("1 = 1")
	}
	return t.invitations(strings.Join(w.conds, " AND "), w.args...)
}

// invitations returns the invitations where holds, by ID, each with its
// person and its seats, read in a second query.
func (t *tx) invitations(where string, args ...any) ([]programme.Invitation, error) {
	var (
		out   []programme.Invitation
		index = map[int64]int{}
	)
	err := t.list(func(s scanner) error {
		var (
			inv                                               programme.Invitation
			local, shift, first, last                         string
			sendAt, created, sent, cancelled, login, signedIn int64
		)
		if err := s.Scan(&inv.ID, &inv.ProgrammeID, &inv.CompanyID, &inv.UserID, &inv.Lang, &inv.Zone, &local, &shift,
			&sendAt, &inv.RemindDays, &inv.InvitedBy, &created, &sent, &cancelled, &inv.Email, &first, &last, &login, &signedIn); err != nil {
			return err
		}
		date, clock, _ := strings.Cut(local, " ")
		inv.Local, _ = programme.ParseWall(date, clock)
		for k, v := range shifts {
			if v == shift {
				inv.Shift = k
			}
		}
		inv.Name = allot.User{Email: inv.Email, FirstName: first, LastName: last}.Name()
		inv.SendAt, inv.CreatedAt, inv.SentAt = fromMicros(sendAt), fromMicros(created), fromMicros(sent)
		inv.CancelledAt, inv.SeenAt = fromMicros(cancelled), fromMicros(max(login, signedIn))
		index[inv.ID] = len(out)
		out = append(out, inv)
		return nil
	}, `SELECT i.id, i.programme_id, i.company_id, i.user_id, i.lang, i.zone, i.local_at, i.shift, i.send_at, i.remind_days,
			i.invited_by, i.created_at, i.sent_at, i.cancelled_at, u.email, u.first_name, u.last_name, u.last_login_at, u.signed_in_at
		FROM invitations i JOIN users u ON u.id = i.user_id WHERE `+where+` ORDER BY i.id`, args...)
	if err != nil || len(out) == 0 {
		return out, err
	}
	return out, t.invitationSeats(out, index, where, args)
}

// invitationSeats reads the seats of the invitations where holds into out.
func (t *tx) invitationSeats(out []programme.Invitation, index map[int64]int, where string, args []any) error {
	return t.list(func(s scanner) error {
		var (
			invID                           int64
			st                              allot.Seat
			starts, ends, created, released int64
		)
		err := s.Scan(&invID, &st.ID, &st.PoolID, &st.CompanyID, &st.ProductID, &st.UserID, &starts, &ends, &created, &released,
			&st.ReleaseReason)
		st.StartsAt, st.EndsAt, st.CreatedAt, st.ReleasedAt = fromMicros(starts), fromMicros(ends), fromMicros(created), fromMicros(released)
		i := index[invID]
		out[i].Seats = append(out[i].Seats, st)
		return err
	}, `SELECT i.id, s.id, s.pool_id, s.company_id, s.product_id, s.user_id, s.starts_at, s.ends_at, s.created_at,
			s.released_at, s.release_reason
		FROM invitations i JOIN invitation_seats x ON x.invitation_id = i.id JOIN seats s ON s.id = x.seat_id
		WHERE `+where+` ORDER BY i.id, s.id`, args...)
}

func (t *tx) UpdateScheduled(inv programme.Invitation) error {
	return t.execOne(allot.Errorf(allot.ECONFLICT, "the invitation went out or was cancelled meanwhile"),
		`UPDATE invitations SET lang = $2, zone = $3, local_at = $4, shift = $5, send_at = $6, sent_at = $7, cancelled_at = $8
		WHERE id = $1 AND sent_at = 0 AND cancelled_at = 0`,
		inv.ID, inv.Lang, inv.Zone, inv.Local.String(), shifts[inv.Shift], micros(inv.SendAt), micros(inv.SentAt),
		micros(inv.CancelledAt))
}

func (t *tx) MarkSent(id int64, at time.Time) error {
	return t.execOne(allot.Errorf(allot.ECONFLICT, "the invitation went out or was cancelled meanwhile"),
		`UPDATE invitations SET sent_at = $2 WHERE id = $1 AND sent_at = 0 AND cancelled_at = 0`, id, micros(at))
}
