package allot

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

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

// ChangePassword sets the signed-in user's password after checking the
// current one.
func (s *Service) ChangePassword(ctx context.Context, current, next string) error {
	return s.write(ctx, func(tx Tx, p Principal) error {
		u, err := tx.User(p.UserID)
		if err != nil {
			return err
		}
		if !CheckPassword(u.PasswordHash, current) {
			return Invalid("current_password", "the current password is wrong")
		}
		if u.PasswordHash, err = HashPassword(next, s.Passwords); err != nil {
			var e *Error
			if errors.As(err, &e) && e.Code == EINVALID {
				e.Field = "new_password"
			}
			return err
		}
		if err := tx.UpdateUser(u); err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		return s.Record(tx, p, Company{ID: u.CompanyID}, "user.password", "user", u.ID, nil, nil)
	})
}

// SetPassword sets another person's password, so that someone who cannot
// sign in can again (ActSetPassword).
func (s *Service) SetPassword(ctx context.Context, userID int64, password string) error {
	return s.write(ctx, func(tx Tx, p Principal) error {
		if err := p.Must(ActSetPassword, Company{}); err != nil {
			return err
		}
		u, err := tx.User(userID)
		if err != nil {
			return err
		}
		if u.PasswordHash, err = HashPassword(password, s.Passwords); err != nil {
			return err
		}
		if err := tx.UpdateUser(u); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		return s.Record(tx, p, Company{ID: u.CompanyID}, "user.password", "user", u.ID, nil, nil)
	})
}
