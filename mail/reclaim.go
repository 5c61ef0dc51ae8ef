package mail

// The kinds of mail of reclaim rules.
const (
	// KindReclaimWarning tells a learner that their unused seat goes back
	// to its pool on a date (EndsAt) unless they use the product before.
	KindReclaimWarning Kind = "reclaim_warning"
	// KindReclaimed tells a company's managers how many seats a reclaim
	// rule released in one run (Seats), of which products, and when
	// (EndsAt).
	KindReclaimed Kind = "reclaimed"
)
