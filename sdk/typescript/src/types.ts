// heard.plugin.v1's messages as handlers see them (see LOADER_OPTIONS in
// proto.ts): field names as in plugin.proto, every scalar present with its
// default, absent sub-messages null, bytes as Buffers. Responses may leave
// out any field.

/** google.protobuf.Timestamp. */
export interface Timestamp {
  seconds: number;
  nanos: number;
}

/** heard.plugin.v1.TicketRef. */
export interface TicketRef {
  connector: string;
  account: string;
  id: string;
}

/** heard.plugin.v1.Party. */
export interface Party {
  id: string;
  name: string;
  email: string;
}

/** heard.plugin.v1.Message: one message of a ticket's thread. */
export interface Message {
  id: string;
  author: Party | null;
  from_agent: boolean;
  public: boolean;
  body: string;
  created_at: Timestamp | null;
}

/** heard.plugin.v1.Ticket. */
export interface Ticket {
  ref: TicketRef | null;
  subject: string;
  status: string;
  /** "P0" (most urgent) to "P3", or "" when unset. */
  priority: string;
  requester: Party | null;
  organization: Party | null;
  tags: string[];
  fields: Record<string, string>;
  /** Facts about the customer, e.g. plan and mrr. */
  customer: Record<string, string>;
  messages: Message[];
  recent: TicketRef[];
  created_at: Timestamp | null;
  updated_at: Timestamp | null;
}

/** heard.plugin.v1.FieldSpec: a field heard asks for, and its allowed values (none: any). */
export interface FieldSpec {
  name: string;
  allowed: string[];
}

/** heard.plugin.v1.Prediction. */
export interface Prediction {
  field: string;
  value: string;
  /** 0..1. */
  confidence: number;
  /** Why; every prediction says why. */
  reason: string;
  source?: string;
}

/** heard.plugin.v1.ClassifyRequest. */
export interface ClassifyRequest {
  ticket: Ticket | null;
  /** The enrichment facts so far, a JSON object. */
  attrs_json: Buffer;
  /** The fields heard asks for; none asks for all. */
  fields: FieldSpec[];
}

/** heard.plugin.v1.ClassifyResponse. */
export interface ClassifyResponse {
  predictions?: Prediction[];
}

/** heard.plugin.v1.EnrichRequest. */
export interface EnrichRequest {
  ticket: Ticket | null;
  attrs_json: Buffer;
}

/** heard.plugin.v1.EnrichResponse: attrs_json holds only the keys this enricher owns, a JSON object. */
export interface EnrichResponse {
  attrs_json?: Buffer | string;
}

/** heard.plugin.v1.ConfigureRequest. */
export interface ConfigureRequest {
  settings_json: Buffer;
  /** The ID heard attributes this plugin's output to, e.g. "plugin.vip". */
  instance: string;
  connectors: string[];
}
