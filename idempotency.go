package allot

// KeyClaim is what claiming an idempotency key found: a surface that makes
// a request happen once claims the key the client sent with it first.
type KeyClaim struct {
	New         bool // the key is the caller's to use now
	Mismatch    bool // the key was used with another request
	InProgress  bool // the key's first request is still running
	Status      int  // the stored response, when the key is done
	ContentType string
	Body        []byte
}
