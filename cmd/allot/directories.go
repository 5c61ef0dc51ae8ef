package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"allot/directory"
	"allot/ldap"
)

// sources are the directories allot reads on its own, for package
// directory, which knows none of their adapters.
var sources = map[string]directory.Source{"ldap": {Check: checkLDAP, Open: openLDAP}}

// ldapConfig reads an LDAP connection's config: an ldap.Config as JSON,
// whose password is the connection's secret.
func ldapConfig(config, secret string) (ldap.Config, error) {
	var cfg ldap.Config
	if err := json.Unmarshal([]byte(config), &cfg); err != nil {
		return cfg, fmt.Errorf("the config is not an LDAP connection's: %w", err)
	}
	cfg.Password = secret
	return cfg, nil
}

// checkLDAP checks an LDAP connection's config, its password aside.
func checkLDAP(config string) error {
	cfg, err := ldapConfig(config, "kept apart")
	if err != nil {
		return err
	}
	return cfg.Validate()
}

func openLDAP(config, secret string) (directory.Reader, error) {
	cfg, err := ldapConfig(config, secret)
	if err != nil {
		return nil, err
	}
	src, err := ldap.New(cfg)
	return ldapReader{src}, err
}

// ldapReader reads an LDAP directory for package directory: its marks are
// the change times ldap gives, as RFC 3339.
type ldapReader struct{ src *ldap.Source }

func (r ldapReader) Read(ctx context.Context, mark string) ([]directory.Person, string, error) {
	var (
		res *ldap.Result
		err error
	)
	if mark == "" {
		res, err = r.src.ReadAll(ctx)
	} else {
		since, perr := time.Parse(time.RFC3339, mark)
		if perr != nil {
			return nil, "", fmt.Errorf("ldap: mark %q: %w", mark, perr)
		}
		res, err = r.src.ReadChanged(ctx, since)
	}
	if err != nil {
		return nil, "", err
	}
	people := make([]directory.Person, len(res.People))
	for i, p := range res.People {
		people[i] = directory.Person{ExternalID: p.Anchor, Email: p.Email, FirstName: p.FirstName, LastName: p.LastName,
			Department: p.Department, Manager: p.ManagerAnchor, Active: !p.Disabled, Groups: append([]string{}, p.Groups...)}
	}
	next := mark // a read that found nothing keeps its mark
	if !res.Mark.IsZero() {
		next = res.Mark.UTC().Format(time.RFC3339)
	}
	return people, next, nil
}
