import { COMMANDS, type Command } from './cli-args.js';

const GLOBAL_HELP = `umcp — supervised MCP servers from the command line

Usage: umcp <command> [options]

Commands:
  servers                          the servers in the config: transport, state, tools, restarts, last error
  tools [server]                   tools with one-line descriptions (--json: full schemas);
                                   --changes: tools changed since they were pinned, with diffs
  accept <server>/<tool>           accept a changed tool: pin its current definition
  call <server> <tool> [json]      call a tool; arguments as one JSON object or --arg key=value ...
  watch                            keep the servers supervised and print lifecycle events live
  resources [server]               resources and resource templates
  prompts [server]                 prompts and their arguments
  read <server> <uri>              read a resource
  chat --provider P --model M      talk to a model that uses the servers' tools
  serve --http H:P | --stdio       every server as one MCP server (a gateway)
  dashboard [--port N]             a live dashboard in the browser (127.0.0.1:8931, with a token)
  tasks [list | wait | cancel]     tasks left running by "umcp call" (detached): list, resume, cancel
  help [command]                   this text, or a command's

Options:
  -c, --config <file>      config file (default: the first of ./mcp.json, ./.mcp.json, .vscode/mcp.json)
                           Claude Desktop, Claude Code, Cursor and VS Code formats are read as they are
  -s, --server <name>      only this server (repeatable)
      --wait <ms>          how long to wait for servers to be ready (default 30000); then exit 3
      --protocol <rev>     auto, 2026-07-28 or 2025-11-25 for every server whose config does not
                           say (default auto: server/discover, else initialize)
      --outbound-host <h>  only reach HTTP servers, OAuth endpoints and redirects at this host
                           (host, host:port, *.domain; repeatable; adds to the config's outboundHosts)
      --log-level <level>  pino logs on stderr: trace, debug, info, warn, error, silent (default: silent)
      --json               machine-readable output (NDJSON for watch)
      --debug              show stack traces
  -h, --help               help
  -V, --version            the version

Exit codes: 0 ok (also: a task left running, detached), 1 the tool returned isError (or the server
answered with an error), 2 usage or config error, 3 server unavailable, 4 no such task, 5 the task
was lost (its server forgot it), 130 interrupted (the call or the task cancelled).`;

const COMMAND_HELP: Record<Command, string> = {
  servers: `Usage: umcp servers [--server <name>] [--json]

Connects to every server in the config and prints a table: name, transport, state, the protocol
revision it speaks (2026-07-28, or the 2025-era one initialize settled), tools, restarts, last
error. A server that cannot start is listed as failed with the reason.`,
  tools: `Usage: umcp tools [server [tool]] [--search "request"] [--changes] [--json]

Lists each server's tools with a one-line description: only the tools the tool policy offers (a
tool denied in the config, e.g. by "disabledTools", or held after a change, is not listed). With a
server and a tool: that tool's whole description, its parameters (type, required, description) and
annotations. --json prints the full tool objects, input and output schemas included. --search ranks
every tool for a request in words (names, descriptions, parameters; offline, no model) and prints
the best ten.
--changes lists the tool changes not accepted yet: a tool whose definition differs from the one
pinned (redefined) or that shadows another server's tool, with the policy's action (warn, hold,
block) and a diff; "umcp accept <server>/<tool>" accepts one. Changes across runs are caught only
when the config names a "pins" file (without one, each run pins what it first sees).`,
  accept: `Usage: umcp accept <server>/<tool>

Accepts a tool change that "umcp tools --changes" lists: pins the tool's current definition in the
config's "pins" file, so a held or blocked tool is offered again and a warned one is no longer
flagged. Needs "pins" in the config (without it nothing is kept beyond the command); exits 1 when
the tool has no pending change.`,
  call: `Usage: umcp call <server> <tool> [json-args] [--arg key=value ...] [--timeout <ms>] [--json]
                 [--deadline <ms>] [--detach] [--on-interrupt cancel|detach] [--tasks-file <file>]

Calls a tool and prints the result: text content as text, structured content as JSON
(--json: the whole result). Arguments come as one JSON object, or as --arg key=value pairs
(each value takes the type the tool's inputSchema gives its parameter: --arg count=3 is a number
where count is a number, and the string "3" where it is a string; without a schema, JSON values
are parsed). Waits up to --wait ms for the server; a server that is not ready by then exits 3.
Progress is shown on stderr while the tool reports it; Ctrl-C cancels the call (the server
receives notifications/cancelled) and exits 130. Exits 1 when the tool answers isError.

When the server runs the call as a task (the Tasks extension), its status is shown on stderr as
"status · message · elapsed" (one updating line on a terminal, a line per change otherwise), and
Ctrl-C asks on a terminal: detach (d: the task keeps running; its id is printed with how to resume
it, "umcp tasks wait <id>"; exit 0) or cancel (c: tasks/cancel, exit 130). Without a terminal
--on-interrupt decides (default cancel). A second Ctrl-C cancels. --detach returns as soon as the
task exists: its id on stdout. --timeout applies to each exchange, not to the task's life;
--deadline <ms> (default: the config's callDeadlineMs) bounds the whole call, a task's life
included: past it the task is cancelled and umcp exits 3 (TIMEOUT).
A stdio server stops with umcp: a task detached from it lives on only if the server keeps its tasks.
Tasks are kept in --tasks-file (default $XDG_STATE_HOME/umcp/tasks.json, else
~/.local/state/umcp/tasks.json; directory 0700, file 0600: task ids are bearer tokens).`,
  tasks: `Usage: umcp tasks [list] [--json]
       umcp tasks wait <id> [--on-interrupt cancel|detach]
       umcp tasks cancel <id>                                  [--tasks-file <file>]

The tasks "umcp call" left running (detached), kept in the task store (--tasks-file, as for call).
Starts the config's servers (or --server's): their tasks are polled again once they are ready.
list: id, server, tool, status, age and message (--json: the whole snapshots). wait: follows the
task like "umcp call" does, status on stderr, and prints its result (Ctrl-C: detach or cancel, as
for call). cancel: sends tasks/cancel. An id the store does not hold exits 4; a task its server
no longer knows (restarted without keeping it, expired), or whose server is no longer in the
config, ends lost and exits 5.`,
  watch: `Usage: umcp watch [--watch] [--json]

Keeps the servers supervised and prints every lifecycle event as one line (NDJSON with --json):
state changes, restarts, given-up servers, tool list changes, stderr lines, server logs, and the
rounds in which a 2026-07-28 server asks for input before it answers (input required).
With --watch the config file is re-applied whenever it changes: added servers start, removed
ones stop, changed ones restart, policy-only changes apply live. Ctrl-C stops cleanly.`,
  resources: `Usage: umcp resources [server] [--json]

Lists each server's resources (every page) and resource templates.`,
  prompts: `Usage: umcp prompts [server] [--json]

Lists each server's prompts with their arguments.`,
  chat: `Usage: umcp chat --provider openai|openai-responses|anthropic --model <model> [--base-url <url>] [--yes]

A terminal chat with a model that uses every server's tools (those the tool policy offers). Type a
message and press Enter; the answer streams as it comes, and each tool call and its result show as
one line each. Before a call the tool policy says needs approval (by default every call to a server
not marked "trusted"; a trusted server's tools annotated read-only run unasked), umcp shows the
server, the tool, the arguments, whether the server is trusted, its annotations and, for a tool
changed since it was pinned, the diff, and asks: y (yes), a (always: this tool runs unasked for the
rest of the chat), n (no). --yes never asks. Ctrl-C stops the answer under way; Ctrl-D or /exit
ends the chat. Trusted servers' instructions are passed to the model.

The key comes from the environment: OPENAI_API_KEY (openai, openai-responses) or
ANTHROPIC_API_KEY (anthropic). --base-url points at another endpoint: a local OpenAI-compatible
server needs no key (Ollama: --base-url http://127.0.0.1:11434/v1, llama.cpp, vLLM).`,
  serve: `Usage: umcp serve (--http <host:port> [--token-env <VAR>] [--stateless] [--allow-host <host>]...
                  [--max-sessions <n>] [--replica <name> --peer <name=url>...] | --stdio)
                  [--revisions <list>]

Serves every server of the config as one MCP server: their tools, prompts and resources merged
under collision-free names, kept current, each call supervised (a crashed server answers with a
tool error naming the code while it restarts).

--http serves Streamable HTTP at http://<host:port>/mcp (legacy SSE at /sse for old clients; also
/healthz, /readyz and Prometheus /metrics). Every
request needs "Authorization: Bearer <token>": the token is read from the variable --token-env
names, or generated and printed on stderr (on 127.0.0.1 only: another address needs --token-env).
--stateless answers each request on its own, so replicas behind a load balancer can share clients.
--allow-host accepts that Host header too (the name clients use through a proxy, e.g.
mcp.example.com or 127.0.0.1:8080); by default only the loopback names with the port are.
--max-sessions caps the stateful sessions, and the legacy SSE streams, open at once (default 100
each); a client past it gets HTTP 429.
--replica names this replica, --peer another one (repeat it for each): 2026-07-28 requests need no
affinity, but a call waiting for its client's answers (an input round) waits in the replica that
started it; a retry reaching another replica is forwarded there (e.g. --replica a
--peer b=http://10.0.0.2:8930/mcp). Without them such a retry fails and the client calls again.
--stdio serves one session on stdin/stdout, for hosts that spawn their servers (Claude Desktop,
Cursor): point the host's config at "umcp serve --config <file> --stdio".
Both MCP revisions are served, on the same endpoint: 2026-07-28 (stateless requests) and 2025-11-25
(sessions; every 2025-era version). --revisions 2026-07-28 (or 2025-11-25) serves one only: a client of
the other gets the unsupported-version error naming the versions served.`,
  dashboard: `Usage: umcp dashboard [--port <n>] [--token-env <VAR>] [--data-dir <dir>]
                      [--provider openai|openai-responses|anthropic --model <model> [--base-url <url>]]

Opens a live dashboard over the servers of the config on http://127.0.0.1:<port> (default 8931; 0 picks
a free one): every server's state, restarts, latency, queue and last error, its timeline, and
restart / remove / add. The URL printed on stderr carries the token every request needs (from
--token-env's variable, or generated). Prometheus /metrics is served beside it (with the token).
Every call is kept in <dir>/history.ndjson (rotated at 1 MiB; default
$XDG_STATE_HOME/universal-mcp, else ~/.local/state/universal-mcp), arguments redacted.

The Chat view talks to a model that uses the servers' tools. --provider and --model name one (its
key from OPENAI_API_KEY or ANTHROPIC_API_KEY; --base-url for another endpoint); the config's "chat"
key can list more: {"chat": {"providers": [{"name": "claude", "type": "anthropic", "models":
["claude-sonnet-4-5"], "apiKeyEnv": "ANTHROPIC_API_KEY"}]}} (each provider: type, models, and
optionally name, apiKeyEnv, and baseURL for another endpoint). Keys stay in this process, never in
the page. Conversations are kept in <dir>/chat.sqlite.`,
  read: `Usage: umcp read <server> <uri> [--json]

Reads a resource and prints its text (binary contents are described). --json prints the result.`,
  help: GLOBAL_HELP,
};

/** Help for a command, or the general help. */
export function helpFor(command?: string): string {
  if (command !== undefined && (COMMANDS as readonly string[]).includes(command))
    return COMMAND_HELP[command as Command];
  return GLOBAL_HELP;
}
