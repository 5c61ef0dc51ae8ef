package support

// articleTx keeps the help centre's articles.
type articleTx interface{}
