package all

import (
	_ "github.com/heardhq/heard/connectors/freshdesk" // registers "freshdesk"
	_ "github.com/heardhq/heard/connectors/intercom"  // registers "intercom"
	_ "github.com/heardhq/heard/connectors/zendesk"   // registers "zendesk"
)
