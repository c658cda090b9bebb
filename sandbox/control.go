package sandbox

import (
	"encoding/json"
	"net/http"
	"sort"
)

// Control serves the sandbox's own control API under /_sandbox/, for
// `heard-sandbox serve` users and scripts driving the emulated help desks:
//
//	GET  /_sandbox/                                    desks and violations
//	POST /_sandbox/{vendor}/{account}/tickets          open a ticket (NewTicket JSON) → {"id": ...}
//	POST /_sandbox/{vendor}/{account}/tickets/{id}/replies   {"body": ...}: a customer reply
//	POST /_sandbox/{vendor}/{account}/tickets/{id}/actions   an Action (JSON): act as the desk's agent → TicketState
//	GET  /_sandbox/{vendor}/{account}/tickets/{id}     what the agent sees (TicketState)
//	POST /_sandbox/faults                              schedule a Fault (JSON)
//
// Every control request gets a JSON answer; errors are {"error": ...}.
func (s *Server) Control(desks ...Desk) {
	byVendor := map[string]Desk{}
	for _, d := range desks {
		byVendor[d.Vendor()] = d
	}
	desk := func(w http.ResponseWriter, r *http.Request) (Desk, bool) {
		d, ok := byVendor[r.PathValue("vendor")]
		if !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such vendor: " + r.PathValue("vendor")})
		}
		return d, ok
	}
	s.mux.HandleFunc("GET /_sandbox/{$}", func(w http.ResponseWriter, _ *http.Request) {
		var names []string
		for n := range byVendor {
			names = append(names, n)
		}
		sort.Strings(names)
		writeJSON(w, http.StatusOK, map[string]any{"vendors": names, "violations": s.Violations()})
	})
	s.mux.HandleFunc("POST /_sandbox/{vendor}/{account}/tickets", func(w http.ResponseWriter, r *http.Request) {
		d, ok := desk(w, r)
		if !ok {
			return
		}
		var nt NewTicket
		if err := json.NewDecoder(r.Body).Decode(&nt); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "ticket JSON: " + err.Error()})
			return
		}
		id, err := d.CreateTicket(r.Context(), r.PathValue("account"), nt)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"id": id})
	})
	s.mux.HandleFunc("POST /_sandbox/{vendor}/{account}/tickets/{id}/replies", func(w http.ResponseWriter, r *http.Request) {
		d, ok := desk(w, r)
		if !ok {
			return
		}
		var in struct{ Body string }
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Body == "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": `want {"body": "..."}`})
			return
		}
		if err := d.Reply(r.Context(), r.PathValue("account"), r.PathValue("id"), in.Body); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"status": "replied"})
	})
	s.mux.HandleFunc("POST /_sandbox/{vendor}/{account}/tickets/{id}/actions", func(w http.ResponseWriter, r *http.Request) {
		d, ok := desk(w, r)
		if !ok {
			return
		}
		ag, ok := d.(Agent)
		if !ok {
			writeJSON(w, http.StatusNotImplemented, map[string]string{"error": d.Vendor() + " cannot act as an agent"})
			return
		}
		var act Action
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&act); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "action JSON: " + err.Error()})
			return
		}
		if err := act.Validate(); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		if err := ag.Act(r.Context(), r.PathValue("account"), r.PathValue("id"), act); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		st, err := d.State(r.PathValue("account"), r.PathValue("id"))
		if err != nil {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, st)
	})
	s.mux.HandleFunc("GET /_sandbox/{vendor}/{account}/tickets/{id}", func(w http.ResponseWriter, r *http.Request) {
		d, ok := desk(w, r)
		if !ok {
			return
		}
		st, err := d.State(r.PathValue("account"), r.PathValue("id"))
		if err != nil {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, st)
	})
	s.mux.HandleFunc("POST /_sandbox/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Fault
		if err := json.NewDecoder(r.Body).Decode(&f); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "fault JSON: " + err.Error()})
			return
		}
		s.Faults.Add(f)
		writeJSON(w, http.StatusCreated, map[string]string{"status": "scheduled"})
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
