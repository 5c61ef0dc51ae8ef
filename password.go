package allot

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are the argon2id costs of new password hashes. A stored
// hash keeps the costs it was made with, so they may change at any time.
type PasswordParams struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultPasswordParams follow the argon2id recommendation for interactive
// logins: 3 passes over 64 MiB.
var DefaultPasswordParams = PasswordParams{Time: 3, Memory: 64 * 1024, Threads: 2}

// MinPasswordLength is the shortest password allowed.
const MinPasswordLength = 10

// HashPassword returns an argon2id hash of password made with pp, in the
// PHC string format.
func HashPassword(password string, pp PasswordParams) (string, error) {
	if len(password) < MinPasswordLength {
		return "", Invalid("password", "a password has at least %d characters", MinPasswordLength)
	}
	if len(password) > 1024 {
		return "", Invalid("password", "a password has at most 1024 characters")
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, pp.Time, pp.Memory, pp.Threads, 32)
	b64 := base64.RawStdEncoding.EncodeToString
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, pp.Memory, pp.Time, pp.Threads, b64(salt), b64(key)), nil
}

// CheckPassword reports whether password matches hash.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var pp PasswordParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &pp.Memory, &pp.Time, &pp.Threads); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, pp.Time, pp.Memory, pp.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// PasswordChange is a person's change of their own password.
type PasswordChange struct {
	Current, New string
	// RevokeTokens revokes the person's API tokens too, for when the old
	// password may have let someone make one.
	RevokeTokens bool
}

// ChangePassword sets the signed-in user's password after checking the
// current one, and returns them. Their sessions end; the caller's own may
// go on at their new SessionEpoch.
func (s *Service) ChangePassword(ctx context.Context, in PasswordChange) (User, error) {
	var (
		u       User
		revoked []int64
	)
	err := s.write(ctx, func(tx Tx, p Principal) error {
		var err error
		if u, err = tx.User(p.UserID); err != nil {
			return err
		}
		if !CheckPassword(u.PasswordHash, in.Current) {
			return Invalid("current_password", "the current password is wrong")
		}
		if err := s.SetPassword(tx, &u, in.New, "new_password"); err != nil {
			return err
		}
		if in.RevokeTokens {
			if revoked, err = s.revokeTokens(tx, u.ID); err != nil {
				return err
			}
		}
		return s.Record(tx, p, Company{ID: u.CompanyID}, "user.password", "user", u.ID, nil,
			map[string]any{"tokens_revoked": len(revoked)})
	})
	for _, id := range revoked {
		s.tokens.forget(id, 0) // once committed, so no check caches a token anew
	}
	return u, err
}

// SetPassword sets u's password in the caller's transaction, and moves
// their session epoch on, so that every session they began ends. A password
// too short or too long is EINVALID for field.
func (s *Service) SetPassword(tx Tx, u *User, password, field string) error {
	hash, err := HashPassword(password, s.Passwords)
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.Code == EINVALID {
			e.Field = field
		}
		return err
	}
	u.PasswordHash = hash
	u.SessionEpoch++
	if err := tx.UpdateUser(*u); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return nil
}

// decoy is a hash of no one's password, checked in place of a missing one
// so that every sign-in costs one check. It is made again when the costs
// change.
type decoy struct {
	mu     sync.Mutex
	params PasswordParams
	value  string
}

func (d *decoy) hash(pp PasswordParams) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.value == "" || d.params != pp {
		d.value, _ = HashPassword(rand.Text(), pp)
		d.params = pp
	}
	return d.value
}
