package sqlite_test

import "github.com/heardhq/heard/kb/embed"

func embedHashed() (embed.Embedder, error) { return embed.NewHashed(0) }
