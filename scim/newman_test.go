package scim_test

import (
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"allot/storetest"
)

// collection is Microsoft's SCIM Postman collection for Entra ID, which
// stays beside the project (../shared/conformance/scim from its root).
var collection = filepath.Join("..", "..", "shared", "conformance", "scim", "PostmanCollection.json")

// folders are the collection's folders run: all but "Get Token", as allot
// gives each directory its own token.
var folders = []string{"Endpoint tests", "User tests", "Group tests", "ComplexAttribute tests",
	"User tests with garbage", "Group tests with garbage", "Teardown garbage"}

// newman returns the command that runs newman: newman on the PATH (where
// .ci/run puts it), else npx's when it has it installed; the test is
// skipped without either.
func newman(t *testing.T) []string {
	t.Helper()
	if p, err := exec.LookPath("newman"); err == nil {
		return []string{p}
	}
	if p, err := exec.LookPath("npx"); err == nil && exec.Command(p, "--no-install", "newman", "--version").Run() == nil {
		return []string{p, "--no-install", "newman"}
	}
	t.Skip("newman is not installed, so Microsoft's SCIM collection is not run: " +
		"npm install --no-save newman@6.2.2 and put its node_modules/.bin on PATH, as .ci/run does")
	return nil
}

// TestNewman runs Microsoft's SCIM conformance collection for Entra ID
// against a company's SCIM endpoint, as its README says: every assertion
// of its 76 requests must pass.
func TestNewman(t *testing.T) {
	if _, err := os.Stat(collection); err != nil {
		t.Skipf("Microsoft's SCIM collection is not beside the project: %v", err)
	}
	cmd := newman(t)
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		u, err := url.Parse(e.URL)
		if err != nil {
			t.Fatal(err)
		}
		report := filepath.Join(t.TempDir(), "newman.json")
		args := append(cmd[1:], "run", collection, "--env-var", "Protocol=http", "--env-var", "Server=127.0.0.1",
			"--env-var", "Port=:"+u.Port(), "--env-var", "Api=scim/v2", "--env-var", "token="+e.Tokens["acme"],
			"--reporters", "cli,json", "--reporter-json-export", report)
		for _, f := range folders {
			args = append(args, "--folder", f)
		}
		out, runErr := exec.Command(cmd[0], args...).CombinedOutput()
		var r struct {
			Run struct {
				Stats struct {
					Requests, Assertions struct{ Total, Failed int }
				}
				Failures []struct {
					Error  struct{ Test, Message string }
					Source struct{ Name string }
				}
			}
		}
		b2, err := os.ReadFile(report)
		if err != nil {
			t.Fatalf("newman wrote no report (%v): %v\n%s", runErr, err, out)
		}
		if err := json.Unmarshal(b2, &r); err != nil {
			t.Fatal(err)
		}
		for _, f := range r.Run.Failures {
			t.Errorf("%s: %s: %s", f.Source.Name, f.Error.Test, f.Error.Message)
		}
		a := r.Run.Stats.Assertions
		t.Logf("newman: %d requests, %d assertions, %d failed", r.Run.Stats.Requests.Total, a.Total, a.Failed)
		if a.Failed != 0 || a.Total != 103 || r.Run.Stats.Requests.Total != 76 || runErr != nil {
			t.Errorf("newman: %d of %d assertions failed, want 0 of 103 in 76 requests (%v)\n%s", a.Failed, a.Total, runErr,
				lastLines(string(out), 30))
		}
	})
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
