// Package ldap reads a company's people from its LDAP directory: OpenLDAP,
// Active Directory, or another server set up like one of them. It knows
// nothing of seats or companies; package directory decides what the people
// it returns mean.
//
// A Source is made from a Config (validated field by field) and reads in two
// ways:
//
//   - ReadAll reads everyone in scope. Whoever it does not return was
//     deleted, moved out of the base DN, filtered out, or left the scope
//     group: a full read is the only way to see that.
//   - ReadChanged reads those whose entry changed at or after a mark, the
//     Result.Mark of the read before, and the members of groups that
//     changed since then (joining a group changes the group's entry, not
//     the member's, on Active Directory and on OpenLDAP's memberof overlay
//     alike). It is cheap enough to run every few minutes, between
//     periodic full reads.
//
// Every search asks for pages (RFC 2696): without them Active Directory
// returns at most 1,000 entries and OpenLDAP 500. A read returns all of its
// people or an error, never part of them, so that a connection lost mid-page
// cannot look like people deleted.
//
// People are identified by an anchor that lives as long as their entry:
// objectGUID (as its canonical GUID string) or entryUUID. The DN and the
// e-mail change with renames and moves and are never the anchor.
//
// Groups come from the people's memberOf (the Active Directory preset) or
// from the groups' member lists (the OpenLDAP preset, which needs no
// overlay), nested groups expanded; a Person lists the DNs of the groups it
// belongs to, among those the group search finds.
//
// The tests start a real slapd (Debian's slapd package) on a free port of
// 127.0.0.1 with a throw-away config, through package ldaptest, which the
// tests of other packages use too, and an in-process gldap server for
// Active Directory's binary objectGUID and for faults. The benchmarks read
// 100,000 people from slapd:
//
//	go test -run '^$' -bench . -benchtime 3x ./ldap
package ldap
