package world

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"

	"allot/directory"
	"allot/ldap"
)

// ListDirectory is an LDAP directory held in a list, for the surfaces'
// tests (the real server is tested in ldap and cmd/allot): each read gives
// everyone it holds, or fails as Set says. It binds with Password.
type ListDirectory struct {
	Password string
	mu       sync.Mutex
	people   []directory.Person
	fail     error
}

// Set makes the directory hold people, and its reads fail with fail.
func (d *ListDirectory) Set(people []directory.Person, fail error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.people, d.fail = people, fail
}

func (d *ListDirectory) Read(context.Context, string) ([]directory.Person, string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.fail != nil {
		return nil, "", d.fail
	}
	return slices.Clone(d.people), "mark", nil
}

// Source is the directory as the kind "ldap" of connection: its check
// reads the config as an ldap.Config, which must not hold the password.
func (d *ListDirectory) Source() directory.Source {
	return directory.Source{
		Check: func(config string) error {
			if strings.Contains(config, d.Password) {
				return errors.New("the config holds the password")
			}
			var cfg ldap.Config
			if err := json.Unmarshal([]byte(config), &cfg); err != nil {
				return err
			}
			cfg.Password = "given apart"
			return cfg.Validate()
		},
		Open: func(config, secret string) (directory.Reader, error) {
			if secret != d.Password {
				return nil, errors.New("invalid credentials")
			}
			return d, nil
		},
	}
}
