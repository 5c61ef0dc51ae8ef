package report

// homeTx reads what the home pages show.
type homeTx interface{}
