package mail_test

import (
	"context"
	"fmt"
	"testing"

	"allot/mail"
)

// reminders returns n reminder mails to different managers.
func reminders(n int) []mail.Message {
	langs := []string{"en", "fr", "de", "es"}
	zones := []string{"Europe/Paris", "America/New_York", "Europe/Berlin", "America/Mexico_City"}
	ms := make([]mail.Message, n)
	for i := range ms {
		m := message(mail.KindReminder, langs[i%4], zones[i%4])
		m.To.Email = fmt.Sprintf("manager%d@acme.example", i)
		m.MessageID = fmt.Sprintf("reminder.pool-%d.72h@allot.example", i)
		ms[i] = m
	}
	return ms
}

// benchServer starts a server that only counts messages, and a sender for it.
func benchServer(b *testing.B) (*server, *mail.SMTP) {
	b.Helper()
	srv := startServer(b, discarding())
	return srv, newSender(b, srv.config())
}

// checkDelivered fails the benchmark unless the server accepted want messages.
func checkDelivered(b *testing.B, srv *server, want int) {
	b.Helper()
	if n, _ := srv.accepted(); n != want {
		b.Fatalf("server accepted %d messages, want %d", n, want)
	}
}

// BenchmarkSendReminder sends reminders one by one, each over a connection
// of its own, as Send does.
func BenchmarkSendReminder(b *testing.B) {
	srv, sender := benchServer(b)
	ms := reminders(256)
	ctx := context.Background()
	sent := 0
	for b.Loop() {
		if err := sender.Send(ctx, ms[sent%len(ms)]); err != nil {
			b.Fatal(err)
		}
		sent++
	}
	b.ReportMetric(float64(sent)/b.Elapsed().Seconds(), "mails/s")
	checkDelivered(b, srv, sent)
}

// BenchmarkSendReminderParallel sends reminders one by one from several
// goroutines, as several job workers would.
func BenchmarkSendReminderParallel(b *testing.B) {
	srv, sender := benchServer(b)
	ms := reminders(256)
	ctx := context.Background()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if err := sender.Send(ctx, ms[i%len(ms)]); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mails/s")
	checkDelivered(b, srv, b.N)
}

// BenchmarkSendReminderBatch sends reminders in batches of 100 over one
// connection per batch, as SendBatch does.
func BenchmarkSendReminderBatch(b *testing.B) {
	const size = 100
	srv, sender := benchServer(b)
	batch := reminders(size)
	ctx := context.Background()
	sent := 0
	for b.Loop() {
		for i, err := range sender.SendBatch(ctx, batch) {
			if err != nil {
				b.Fatalf("message %d: %v", i, err)
			}
		}
		sent += size
	}
	b.ReportMetric(float64(sent)/b.Elapsed().Seconds(), "mails/s")
	checkDelivered(b, srv, sent)
}

// BenchmarkRender renders reminders without sending them.
func BenchmarkRender(b *testing.B) {
	ms := reminders(256)
	i := 0
	for b.Loop() {
		if _, err := mail.Render(ms[i%len(ms)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
