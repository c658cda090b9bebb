package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/heardhq/heard/internal/cli"
	"github.com/heardhq/heard/sandbox"
)

const agentSynopsis = `agent [--sandbox URL] [--account NAME] VENDOR TICKET ACTION [flags]

Act as a human agent (or, for rate, the customer) on a ticket of a running
'heard-sandbox serve': the emulated help desk changes the ticket and sends
heard the webhook the real vendor would send. VENDOR is zendesk, freshdesk
or intercom; TICKET the ticket (conversation) id. Actions:

  reply  --body TEXT                       public reply to the customer
  note   --body TEXT                       internal note
  update [--priority P0..P3] [--tags a,b] [--field KEY=VALUE ...]
                                           change priority, tags (replaced), custom fields
  solve  [--priority P0..P3] [--tags a,b]  solve with final values
  reopen                                   reopen a solved ticket
  assign [--assignee ID] [--group ID]      assign (default: the desk's human agent)
  rate   --rating 1..5 [--body TEXT]       the customer's satisfaction rating

It prints what the agent now sees (JSON). Example:

  heard-sandbox agent zendesk 1 update --priority P1 --tags billing,refund`

// fieldFlags collects repeated --field KEY=VALUE.
type fieldFlags map[string]string

func (f fieldFlags) String() string { return "" }

// Type names the value in help.
func (f fieldFlags) Type() string { return "KEY=VALUE" }

func (f fieldFlags) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("want KEY=VALUE, got %q", s)
	}
	f[k] = v
	return nil
}

func agentCmd() *cobra.Command {
	use, long, _ := strings.Cut(agentSynopsis, "\n\n")
	c := cli.Command(use, "act as a human agent on a ticket of a running serve (reply, note, update, solve, reopen, assign, rate)", func(fs *pflag.FlagSet) cli.RunFunc {
		root := fs.String("sandbox", "http://127.0.0.1:9090", "base `URL` of the running heard-sandbox serve")
		account := fs.String("account", "acme", "account `name` on the vendor")
		body := fs.String("body", "", "reply or note `text`; with rate, the customer's comment")
		priority := fs.String("priority", "", "heard's `priority` P0..P3 (update, solve)")
		tags := fs.String("tags", "", "comma-separated `tags` that replace the ticket's (update, solve); \"-\" clears them")
		assignee := fs.String("assignee", "", "vendor user `id` of the agent to assign")
		group := fs.String("group", "", "vendor group (Intercom: team) `id` to assign")
		rating := fs.Int("rating", 0, "the customer's `rating`, 1 (worst) to 5 (best)")
		fields := fieldFlags{}
		fs.Var(fields, "field", "custom field `KEY=VALUE` (update; repeatable): Zendesk field id, Freshdesk cf_ key, Intercom attribute")
		return func(ctx context.Context, pos []string, stdout, stderr io.Writer) error {
			if len(pos) != 3 {
				return cli.Usagef("want VENDOR TICKET ACTION, got %q", pos)
			}
			act := sandbox.Action{Kind: pos[2], Body: *body, Priority: strings.ToUpper(*priority), Assignee: *assignee, Group: *group, Rating: *rating}
			switch *tags {
			case "":
			case "-":
				act.Tags = []string{}
			default:
				act.Tags = strings.Split(*tags, ",")
			}
			if len(fields) > 0 {
				act.Fields = fields
			}
			if err := act.Validate(); err != nil {
				return cli.Usagef("%v", err)
			}
			b, err := json.Marshal(act)
			if err != nil {
				return err
			}
			u := strings.TrimRight(*root, "/") + "/_sandbox/" + url.PathEscape(pos[0]) + "/" + url.PathEscape(*account) +
				"/tickets/" + url.PathEscape(pos[1]) + "/actions"
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(b))
			if err != nil {
				return fmt.Errorf("agent: %w", err)
			}
			req.Header.Set("Content-Type", "application/json")
			resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
			if err != nil {
				return fmt.Errorf("agent: is heard-sandbox serve running on %s? %w", *root, err)
			}
			defer resp.Body.Close()
			out, err := io.ReadAll(resp.Body)
			if err != nil {
				return fmt.Errorf("agent: reading the answer: %w", err)
			}
			if resp.StatusCode != http.StatusOK {
				var e struct{ Error string }
				if json.Unmarshal(out, &e) == nil && e.Error != "" {
					return fmt.Errorf("agent %s: %s", act.Kind, e.Error)
				}
				return fmt.Errorf("agent %s: HTTP %s: %s", act.Kind, strconv.Itoa(resp.StatusCode), bytes.TrimSpace(out))
			}
			var pretty bytes.Buffer
			if json.Indent(&pretty, out, "", "  ") != nil {
				pretty.Reset()
				pretty.Write(out)
			}
			_, err = stdout.Write(pretty.Bytes())
			return err
		}
	})
	c.Long = long
	return c
}
