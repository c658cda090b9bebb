package all

import (
	_ "github.com/heardhq/heard/connectors/zendesk" // registers "zendesk"
)
