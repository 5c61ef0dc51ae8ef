package account

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"fmt"
	"net/url"
	"strings"
	"time"

	"allot"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Factor is a person's second factor: the secret of an authenticator app
// (TOTP, RFC 6238). It counts once the person has typed a code from it.
type Factor struct {
	UserID      int64
	Secret      string
	CreatedAt   time.Time
	ConfirmedAt time.Time // zero while being set up
	LastStep    int64     // the time step of the last code used: each code works once
}

// Confirmed reports whether the factor is set up.
func (f Factor) Confirmed() bool { return !f.ConfirmedAt.IsZero() }

// Step is what a person must do after their password to get in.
type Step int

// The steps.
const (
	StepNone  Step = iota // nothing: they are in
	StepCode              // type a code of their second factor, or a recovery code
	StepEnrol             // set up a second factor first: one is required of them
)

// RecoveryCodes is how many recovery codes a person gets.
const RecoveryCodes = 10

// codeOpts are the TOTP settings every authenticator app knows: six digits
// every 30 seconds, HMAC-SHA1; a code of the step before or after counts,
// for clocks a little apart.
var codeOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// mayHaveFactor refuses learners: a second factor is for the people who
// manage licences.
func mayHaveFactor(u allot.User) error {
	if u.Role == allot.RoleLearner {
		return allot.Errorf(allot.EFORBIDDEN, "a second factor is for managers and the vendor's staff")
	}
	return nil
}

// NextStep says what person u must do after their password: type a code
// when they have a second factor, set one up first when one is required of
// them (a company may require it of its managers, the vendor of its staff
// and partner managers), or nothing.
func (s *Service) NextStep(ctx context.Context, u allot.User) (Step, error) {
	st, err := s.StatusOf(ctx, u)
	switch {
	case err != nil:
		return StepNone, err
	case st.On:
		return StepCode, nil
	case st.Required:
		return StepEnrol, nil
	}
	return StepNone, nil
}

// requiredOf reports whether a second factor is required of u.
func requiredOf(tx Tx, u allot.User) (bool, error) {
	switch {
	case u.Role == allot.RoleCompanyManager:
		return tx.SecondFactorRequired(u.CompanyID)
	case u.Role == allot.RolePartnerManager || u.Role.Vendor():
		return tx.SecondFactorRequired(0)
	}
	return false, nil
}

// StartFactor makes a new secret for person id to add to their app, and
// returns it as the key an app reads (its otpauth URL, also shown as a QR
// code). It replaces a secret not yet confirmed; a person who has a second
// factor turns it off first.
func (s *Service) StartFactor(ctx context.Context, userID int64) (*otp.Key, error) {
	var key *otp.Key
	err := s.Store.Write(ctx, func(tx Tx) error {
		u, err := tx.User(userID)
		if err != nil {
			return err
		}
		if err := mayHaveFactor(u); err != nil {
			return err
		}
		if f, err := tx.Factor(u.ID); err == nil && f.Confirmed() {
			return allot.Errorf(allot.ECONFLICT, "you have a second factor already; turn it off to set up another")
		}
		if key, err = totp.Generate(totp.GenerateOpts{Issuer: "allot", AccountName: u.Email}); err != nil {
			return fmt.Errorf("start second factor: %w", err)
		}
		return tx.PutFactor(Factor{UserID: u.ID, Secret: key.Secret(), CreatedAt: s.now()})
	})
	return key, err
}

// PendingKey returns the key of person id's second factor while it is
// being set up, to show it again.
func (s *Service) PendingKey(ctx context.Context, userID int64) (*otp.Key, error) {
	var key *otp.Key
	err := s.Store.Read(ctx, func(tx Tx) error {
		u, err := tx.User(userID)
		if err != nil {
			return err
		}
		f, err := tx.Factor(userID)
		if err != nil || f.Confirmed() {
			return allot.NotFound("second factor being set up")
		}
		key, err = otp.NewKeyFromURL((&url.URL{Scheme: "otpauth", Host: "totp", Path: "/allot:" + u.Email,
			RawQuery: url.Values{"secret": {f.Secret}, "issuer": {"allot"}}.Encode()}).String())
		return err
	})
	return key, err
}

// ConfirmFactor sets up person id's second factor once they type a code
// from it, and returns their recovery codes, shown this once.
func (s *Service) ConfirmFactor(ctx context.Context, userID int64, code string) ([]string, error) {
	var codes []string
	err := s.Store.Write(ctx, func(tx Tx) error {
		f, err := tx.Factor(userID)
		if err != nil || f.Confirmed() {
			return allot.Errorf(allot.ECONFLICT, "start setting up a second factor first")
		}
		step, ok := s.match(f, code)
		if !ok {
			return allot.Invalid("code", "this is not the code your app shows now; check that its clock is right")
		}
		f.ConfirmedAt, f.LastStep = s.now(), step
		if err := tx.UpdateFactor(f); err != nil {
			return err
		}
		if codes, err = s.newRecoveryCodes(tx, userID); err != nil {
			return err
		}
		return s.record(tx, userID, "user.second_factor_on")
	})
	return codes, err
}

// CheckFactor checks a code of person id's second factor, or one of their
// recovery codes: each works once. EUNAUTHORIZED for a wrong code.
func (s *Service) CheckFactor(ctx context.Context, userID int64, code string) error {
	return s.Store.Write(ctx, func(tx Tx) error {
		return s.checkFactor(tx, userID, code)
	})
}

func (s *Service) checkFactor(tx Tx, userID int64, code string) error {
	wrong := allot.Errorf(allot.EUNAUTHORIZED, "wrong code")
	f, err := tx.Factor(userID)
	if err != nil || !f.Confirmed() {
		return wrong
	}
	if step, ok := s.match(f, code); ok {
		f.LastStep = step
		return tx.UpdateFactor(f)
	}
	recovery := normalRecovery(code)
	if recovery == "" {
		return wrong
	}
	if err := tx.UseRecoveryCode(userID, allot.HashToken(recovery), s.now()); allot.ErrorCode(err) == allot.ENOTFOUND {
		return wrong
	} else if err != nil {
		return err
	}
	return s.record(tx, userID, "user.recovery_code_used")
}

// TurnOffFactor removes person id's second factor and recovery codes, after
// a code of it, unless one is required of them.
func (s *Service) TurnOffFactor(ctx context.Context, userID int64, code string) error {
	return s.Store.Write(ctx, func(tx Tx) error {
		u, err := tx.User(userID)
		if err != nil {
			return err
		}
		required, err := requiredOf(tx, u)
		if err != nil {
			return err
		}
		if required {
			return allot.Errorf(allot.ECONFLICT, "a second factor is required of you; you cannot turn it off")
		}
		if err := s.checkFactor(tx, userID, code); err != nil {
			return allot.Invalid("code", "wrong code")
		}
		if err := tx.DeleteFactor(userID); err != nil {
			return err
		}
		return s.record(tx, userID, "user.second_factor_off")
	})
}

// NewRecoveryCodes replaces person id's recovery codes, after a code of
// their second factor, and returns the new ones.
func (s *Service) NewRecoveryCodes(ctx context.Context, userID int64, code string) ([]string, error) {
	var codes []string
	err := s.Store.Write(ctx, func(tx Tx) error {
		if err := s.checkFactor(tx, userID, code); err != nil {
			return allot.Invalid("code", "wrong code")
		}
		var err error
		codes, err = s.newRecoveryCodes(tx, userID)
		return err
	})
	return codes, err
}

// FactorStatus is where a person stands with a second factor.
type FactorStatus struct {
	Offered  bool // they may have one: they are not a learner
	On       bool // they have one
	Required bool // one is required of them
}

// StatusOf says where person u stands with a second factor.
func (s *Service) StatusOf(ctx context.Context, u allot.User) (FactorStatus, error) {
	st := FactorStatus{Offered: mayHaveFactor(u) == nil}
	err := s.Store.Read(ctx, func(tx Tx) error {
		f, err := tx.Factor(u.ID)
		if err != nil && allot.ErrorCode(err) != allot.ENOTFOUND {
			return err
		}
		st.On = err == nil && f.Confirmed()
		st.Required, err = requiredOf(tx, u)
		return err
	})
	return st, err
}

// match reports whether code is f's code of a step after the last one used,
// and which step.
func (s *Service) match(f Factor, code string) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != codeOpts.Digits.Length() {
		return 0, false
	}
	now := s.now()
	for skew := -int64(codeOpts.Skew); skew <= int64(codeOpts.Skew); skew++ {
		at := now.Add(time.Duration(skew*int64(codeOpts.Period)) * time.Second)
		step := at.Unix() / int64(codeOpts.Period)
		want, err := totp.GenerateCodeCustom(f.Secret, at, codeOpts)
		if err == nil && step > f.LastStep && hmac.Equal([]byte(want), []byte(code)) {
			return step, true
		}
	}
	return 0, false
}

// newRecoveryCodes makes person id a new set of recovery codes, replacing
// theirs, and returns them: ten letters and digits each, in two groups.
func (s *Service) newRecoveryCodes(tx Tx, userID int64) ([]string, error) {
	codes := make([]string, RecoveryCodes)
	hashes := make([]string, RecoveryCodes)
	for i := range codes {
		t := strings.ToLower(rand.Text()[:10])
		codes[i] = t[:5] + "-" + t[5:]
		hashes[i] = allot.HashToken(t)
	}
	return codes, tx.PutRecoveryCodes(userID, hashes)
}

// normalRecovery is a typed recovery code as it was hashed: lower case,
// without its dash or spaces; "" when it cannot be one.
func normalRecovery(code string) string {
	code = strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
	if len(code) != 10 {
		return ""
	}
	return code
}

// record records an act of person id on their own account.
func (s *Service) record(tx Tx, userID int64, action string) error {
	u, err := tx.User(userID)
	if err != nil {
		return err
	}
	return s.Ledger.Record(tx, u.Principal(), allot.Company{ID: u.CompanyID}, action, "user", u.ID, nil, nil)
}

// RequireFactor sets whether a second factor is required of the managers of
// company id (ActSetSignIn), or, for id 0, of the vendor's staff and partner
// managers (the vendor admin's).
func (s *Service) RequireFactor(ctx context.Context, companyID int64, required bool) error {
	return s.write(ctx, func(tx Tx, p allot.Principal) error {
		c := allot.Company{}
		if companyID == 0 {
			if err := p.Must(allot.ActCreateStaff, c); err != nil {
				return err
			}
		} else {
			var err error
			if c, err = allot.CompanyFor(tx, p, companyID, allot.ActSetSignIn); err != nil {
				return err
			}
		}
		if err := tx.SetSecondFactorRequired(companyID, required); err != nil {
			return err
		}
		return s.Ledger.Record(tx, p, c, "company.second_factor", "company", companyID, nil, map[string]bool{"required": required})
	})
}

// FactorRequired reports whether a second factor is required of the
// managers of company id that p may see, or, for 0, of the vendor's staff.
func (s *Service) FactorRequired(ctx context.Context, companyID int64) (bool, error) {
	var required bool
	err := s.read(ctx, func(tx Tx, p allot.Principal) error {
		if companyID != 0 {
			if _, err := allot.VisibleCompany(tx, p, companyID); err != nil {
				return err
			}
		}
		var err error
		required, err = tx.SecondFactorRequired(companyID)
		return err
	})
	return required, err
}
