package web

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"allot"
	"allot/support"
)

// The bounds of a support form as read: its text fields, and how much of
// a file over the limit is read on so that the browser gets the answer
// instead of a broken connection.
const (
	maxSupportField = support.MaxMessage*4 + 1024 // bytes: a message of the most characters, each of four bytes
	maxSupportParts = 40
	maxDrained      = 8 << 20
)

// fileLimits are the limits of a message's attachments, as its form
// states them.
type fileLimits struct {
	MaxFiles, MaxMB, MaxBytes int
}

// attachmentLimits are the service's.
var attachmentLimits = fileLimits{MaxFiles: support.MaxAttachments, MaxMB: support.MaxAttachmentSize >> 20, MaxBytes: support.MaxAttachmentSize}

// readSupportForm reads a support form, multipart with its files in the
// field "attachments" or plain, into r.PostForm, and returns the files
// chosen. A file over support.MaxAttachmentSize is refused here, before it
// is read whole; the service checks the rest. Errors are for the field
// "attachments".
func readSupportForm(r *http.Request) ([]support.Upload, error) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		r.ParseForm()
		return nil, nil
	}
	form := url.Values{}
	defer func() {
		r.PostForm, r.Form = form, r.URL.Query()
		for k, vs := range form {
			r.Form[k] = append(r.Form[k], vs...)
		}
	}()
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, allot.Invalid("attachments", "the form was cut short; try again")
	}
	var ups []support.Upload
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		switch {
		case err == io.EOF:
			return ups, nil
		case err != nil || parts > maxSupportParts:
			return nil, allot.Invalid("attachments", "the form was cut short; try again")
		case p.FormName() == "attachments":
			up, err := readAttachment(p)
			if err != nil {
				return nil, err
			}
			if up.Name != "" || len(up.Data) > 0 {
				ups = append(ups, up)
			}
		case p.FormName() != "":
			value, err := io.ReadAll(io.LimitReader(p, maxSupportField))
			if err != nil {
				return nil, allot.Invalid("attachments", "the form was cut short; try again")
			}
			form.Add(p.FormName(), string(value))
		}
	}
}

// readAttachment reads one file of a form, refusing one over the limit.
func readAttachment(p *multipart.Part) (support.Upload, error) {
	name := p.FileName()
	data, err := io.ReadAll(io.LimitReader(p, support.MaxAttachmentSize+1))
	if err != nil {
		return support.Upload{}, allot.Invalid("attachments", "the form was cut short; try again")
	}
	if len(data) > support.MaxAttachmentSize {
		io.Copy(io.Discard, io.LimitReader(p, maxDrained))
		return support.Upload{}, allot.Invalid("attachments", "%s is larger than %d MB, the most a file may have: send a smaller one",
			name, support.MaxAttachmentSize>>20)
	}
	return support.Upload{Name: name, Data: data}, nil
}

// formError returns err with the field of an attachment's error named as
// the form names its one file input: "attachments".
func formError(err error) error {
	var e *allot.Error
	if errors.As(err, &e) && strings.HasPrefix(e.Field, "attachments[") {
		return allot.Renamed(err, map[string]string{e.Field: "attachments"})
	}
	return err
}
