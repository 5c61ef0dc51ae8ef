package webhook

// SetJitter makes s move every wait of the schedule by jitter, from 0 (a
// fifth less) to 1 (a fifth more), for tests that follow a round to its
// end.
func SetJitter(s *Service, jitter float64) {
	s.jitterFunc = func() float64 { return jitter }
}
