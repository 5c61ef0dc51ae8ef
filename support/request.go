package support

// requestTx keeps the support requests, their conversation and clocks.
type requestTx interface{}
