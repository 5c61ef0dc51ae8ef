package report

// reportTx reads the reports.
type reportTx interface{}
