// `asherah-warmup/register` is loaded for its effect (bun --preload, bunfig.toml, node -r).
export {}
