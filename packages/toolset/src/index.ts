/**
 * The tools of every supervised server as one named, filtered set (moved here from llm by issue 29, item 4).
 *
 * @packageDocumentation
 */
export {};
