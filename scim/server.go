package scim

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"allot"
)

// Prefix is where the composition root mounts the SCIM surface: a
// company's directory is given BaseURL/scim/v2 and its token.
const Prefix = "/scim/v2"

// MaxBodyBytes is the largest request body read.
const MaxBodyBytes = 1 << 20

// Config is what the SCIM surface is made of.
type Config struct {
	Service *Service
	Log     *slog.Logger
	// BaseURL is where clients reach allot, for the resources' locations;
	// each request's own address when empty.
	BaseURL string
}

// Server is the SCIM surface: an http.Handler of the paths under Prefix.
type Server struct {
	s    *Service
	log  *slog.Logger
	base string
}

// New returns the SCIM surface.
func New(c Config) *Server {
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return &Server{s: c.Service, log: c.Log, base: strings.TrimSuffix(c.BaseURL, "/")}
}

// ServeHTTP serves a SCIM request of the company whose token it carries.
// Endpoints are matched without regard to case (/users as /Users).
func (h *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, Prefix)
	if !ok || rest != "" && rest[0] != '/' {
		writeError(w, &Error{Status: http.StatusNotFound, Detail: "no such endpoint"}, h.log)
		return
	}
	p, err := h.authenticate(r)
	if err != nil {
		writeError(w, err, h.log)
		return
	}
	r = r.WithContext(allot.WithPrincipal(r.Context(), p))
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	endpoint, args := strings.ToLower(parts[0]), parts[1:]
	switch endpoint {
	case "users":
		h.resources(w, r, userKind, p.CompanyID, args)
	case "groups":
		h.resources(w, r, groupKind, p.CompanyID, args)
	case "serviceproviderconfig":
		h.discovery(w, r, args, func(id string) (document, bool) { return serviceProviderConfig(h.baseURL(r)), id == "" })
	case "resourcetypes":
		h.discovery(w, r, args, func(id string) (document, bool) {
			docs := make([]document, 0, len(kinds))
			for _, k := range kinds {
				if strings.EqualFold(id, k.Name) {
					return resourceType(k, h.baseURL(r)), true
				}
				docs = append(docs, resourceType(k, h.baseURL(r)))
			}
			return listOf(docs), id == ""
		})
	case "schemas":
		h.discovery(w, r, args, func(id string) (document, bool) {
			if s := schemaByID(id); s != nil {
				return schemaDoc(s, h.baseURL(r)), true
			}
			docs := make([]document, len(schemas))
			for i, s := range schemas {
				docs[i] = schemaDoc(s, h.baseURL(r))
			}
			return listOf(docs), id == ""
		})
	default:
		writeError(w, &Error{Status: http.StatusNotFound, Detail: "no such endpoint: " + parts[0]}, h.log)
	}
}

// authenticate returns the principal of the request's bearer token.
func (h *Server) authenticate(r *http.Request) (allot.Principal, error) {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return allot.Principal{}, &Error{Status: http.StatusUnauthorized,
			Detail: "send the company's SCIM token as a bearer token (Authorization: Bearer …)"}
	}
	return h.s.Authenticate(r.Context(), strings.TrimSpace(token))
}

// baseURL is allot's address: the one configured, or the one the request
// reached.
func (h *Server) baseURL(r *http.Request) string {
	if h.base != "" {
		return h.base
	}
	scheme := "https"
	if r.TLS == nil {
		scheme = "http"
	}
	return scheme + "://" + r.Host
}

// discovery answers GET of a discovery endpoint: doc returns the resource
// of id ("" for the endpoint itself) and whether there is one.
func (h *Server) discovery(w http.ResponseWriter, r *http.Request, args []string, doc func(id string) (document, bool)) {
	if r.Method != http.MethodGet {
		writeError(w, &Error{Status: http.StatusMethodNotAllowed, Detail: "discovery endpoints are read with GET"}, h.log)
		return
	}
	id := strings.Join(args, "/")
	d, ok := doc(id)
	if !ok {
		writeError(w, &Error{Status: http.StatusNotFound, Detail: id + " not found"}, h.log)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// resources serves the endpoint of resources of kind k: the collection,
// and one resource by id.
func (h *Server) resources(w http.ResponseWriter, r *http.Request, k *kind, companyID int64, args []string) {
	proj := newProjection(param(r, "attributes"), param(r, "excludedAttributes"))
	if len(args) == 0 {
		switch r.Method {
		case http.MethodGet:
			h.list(w, r, k, companyID, proj)
		case http.MethodPost:
			in, err := h.body(w, r)
			if err != nil {
				writeError(w, err, h.log)
				return
			}
			res, err := h.s.create(r.Context(), companyID, k, in)
			h.answer(w, r, k, res, err, http.StatusCreated, proj)
		default:
			writeError(w, &Error{Status: http.StatusMethodNotAllowed, Detail: k.Endpoint + " takes GET and POST"}, h.log)
		}
		return
	}
	if len(args) > 1 || args[0] == "" {
		writeError(w, &Error{Status: http.StatusNotFound, Detail: "no such endpoint"}, h.log)
		return
	}
	h.resource(w, r, k, companyID, args[0], proj)
}

// resource serves one resource by id.
func (h *Server) resource(w http.ResponseWriter, r *http.Request, k *kind, companyID int64, id string, proj projection) {
	ctx := r.Context()
	switch r.Method {
	case http.MethodGet:
		res, err := h.s.get(ctx, companyID, k, id)
		h.answer(w, r, k, res, err, http.StatusOK, proj)
	case http.MethodPut:
		in, err := h.body(w, r)
		if err == nil {
			var res Resource
			res, err = h.s.replace(ctx, companyID, k, id, in)
			h.answer(w, r, k, res, err, http.StatusOK, proj)
			return
		}
		writeError(w, err, h.log)
	case http.MethodPatch:
		var req patchRequest
		err := h.decode(w, r, &req)
		if err == nil {
			err = req.check()
		}
		if err != nil {
			writeError(w, err, h.log)
			return
		}
		res, err := h.s.patchResource(ctx, companyID, k, id, req.Operations)
		switch {
		case err != nil || proj.asked():
			// RFC 7644 section 3.5.2: 200 with the resource when the
			// attributes are asked, else 204.
			h.answer(w, r, k, res, err, http.StatusOK, proj)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	case http.MethodDelete:
		if err := h.s.remove(ctx, companyID, k, id); err != nil {
			writeError(w, err, h.log)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		writeError(w, &Error{Status: http.StatusMethodNotAllowed, Detail: "a resource takes GET, PUT, PATCH and DELETE"}, h.log)
	}
}

// answer writes resource res, or err.
func (h *Server) answer(w http.ResponseWriter, r *http.Request, k *kind, res Resource, err error, code int, proj projection) {
	var d document
	if err == nil {
		d, err = render(k, res, h.baseURL(r))
	}
	if err != nil {
		writeError(w, err, h.log)
		return
	}
	if code == http.StatusCreated {
		w.Header().Set("Location", d["meta"].(map[string]any)["location"].(string))
	}
	writeJSON(w, code, proj.apply(k, d))
}

// list answers a GET of the collection: a page of resources.
func (h *Server) list(w http.ResponseWriter, r *http.Request, k *kind, companyID int64, proj projection) {
	p := listParams{filter: param(r, "filter"), startIndex: 1, count: -1, proj: proj}
	for name, n := range map[string]*int{"startIndex": &p.startIndex, "count": &p.count} {
		if v := param(r, name); v != "" {
			i, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				writeError(w, invalidValue("%s must be a whole number", name), h.log)
				return
			}
			*n = max(i, 0)
		}
	}
	d, err := h.s.list(r.Context(), companyID, k, p, h.baseURL(r))
	if err != nil {
		writeError(w, err, h.log)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// param returns the query parameter name, named in any case.
func param(r *http.Request, name string) string {
	q := r.URL.Query()
	if v, ok := q[name]; ok {
		return v[0]
	}
	for k, v := range q {
		if strings.EqualFold(k, name) {
			return v[0]
		}
	}
	return ""
}

// body reads a resource the request sends.
func (h *Server) body(w http.ResponseWriter, r *http.Request) (document, error) {
	var d document
	if err := h.decode(w, r, &d); err != nil {
		return nil, err
	}
	if d == nil {
		return nil, invalidSyntax("the body is a resource: a JSON object")
	}
	return d, nil
}

// decode reads the request's JSON body into v.
func (h *Server) decode(w http.ResponseWriter, r *http.Request, v any) error {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return &Error{Status: http.StatusRequestEntityTooLarge, Detail: "the body is larger than 1 MiB"}
	case err != nil:
		return invalidSyntax("the body could not be read")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return invalidSyntax("the body is not JSON of a SCIM request: " + err.Error())
	}
	return nil
}
