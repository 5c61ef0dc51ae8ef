package support

import (
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"allot"
)

// MessageKind is who a message is from and who reads it.
type MessageKind string

// The kinds of message.
const (
	MessageCustomer MessageKind = "customer" // from the requester, or someone on their side
	MessageReply    MessageKind = "reply"    // from the desk, to the requester and those copied
	MessageNote     MessageKind = "note"     // the desk's own: never shown to the customer
)

// How a message came in.
const (
	ViaWeb  = "web"  // the dashboard or the API
	ViaMail = "mail" // a reply to one of the request's mails
)

// Message is one message of a request's conversation.
type Message struct {
	ID          int64
	RequestID   int64
	Kind        MessageKind
	AuthorID    int64
	Author      string // their e-mail
	Body        string
	Via         string
	CreatedAt   time.Time
	Attachments []Attachment
}

// Attachment is a file sent with a message.
type Attachment struct {
	ID        int64
	RequestID int64
	MessageID int64
	Name      string
	Type      string // its media type, as its bytes say
	Size      int
	Data      []byte `json:"-"` // filled only when read alone
	Note      bool   `json:"-"` // sent with an internal note of the desk; filled only when read alone
}

// Upload is a file a person sends with a message.
type Upload struct {
	Name string
	Data []byte
}

// Limits of attachments: small files of a few safe types.
const (
	MaxAttachments    = 5
	MaxAttachmentSize = 2 << 20
)

// attachmentTypes are the media types accepted, as http.DetectContentType
// names them from the bytes, whatever the file's name says.
var attachmentTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"}

// checkUploads checks each upload's size and type by its bytes and returns
// them as attachments; EINVALID names the file at fault.
func checkUploads(ups []Upload) ([]Attachment, error) {
	if len(ups) > MaxAttachments {
		return nil, allot.Invalid("attachments", "send at most %d files with a message", MaxAttachments)
	}
	out := make([]Attachment, 0, len(ups))
	for i, u := range ups {
		field := fmt.Sprintf("attachments[%d]", i)
		name := strings.TrimSpace(path.Base(strings.ReplaceAll(u.Name, `\`, "/")))
		if name == "" || name == "." || name == "/" || len(name) > 200 {
			return nil, allot.Invalid(field, "file %d has no usable name", i+1)
		}
		if len(u.Data) == 0 {
			return nil, allot.Invalid(field, "%s is empty", name)
		}
		if len(u.Data) > MaxAttachmentSize {
			return nil, allot.Invalid(field, "%s is %d KB: a file may have at most %d KB", name, len(u.Data)>>10, MaxAttachmentSize>>10)
		}
		typ, _, _ := strings.Cut(http.DetectContentType(u.Data), ";")
		if !slices.Contains(attachmentTypes, typ) {
			return nil, allot.Invalid(field, "%s is %s: send images (PNG, JPEG, GIF, WebP), PDF or plain text", name, typ)
		}
		out = append(out, Attachment{Name: name, Type: typ, Size: len(u.Data), Data: u.Data})
	}
	return out, nil
}
