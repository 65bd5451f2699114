/**
 * Builds an X server seed from page files (v1 or v2, e.g. data/sample/xapi/*.ndjson): the posts, their
 * likers and retweeters (in the files' order, newest first), quotes and replies, and every user seen.
 * The demo serves the sample data set this way, and the tests collect it back.
 */
import * as fs from "fs";
import type { SeedTweet, SeedUser, XSeed } from "./index";

interface Item {
  id: string;
  username?: string;
  name?: string;
  text?: string;
  author_id?: string;
  created_at?: string;
}

export function seedFromPageFiles(files: readonly string[]): XSeed {
  const users = new Map<string, SeedUser>();
  const tweets = new Map<string, SeedTweet>();
  const likes: Record<string, string[]> = {};
  const retweets: Record<string, string[]> = {};
  const user = (id: string, username?: string, name?: string) => {
    if (!users.has(id)) users.set(id, { id, username: username ?? `user${id.slice(-6)}`, name: name ?? username ?? `user ${id.slice(-6)}` });
  };
  for (const file of files) {
    const lines = fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "");
    const header = JSON.parse(lines[0]) as { format: string; endpoint: string; tweetId: string; tweetAuthorId: string; tweetCreatedAt: string };
    user(header.tweetAuthorId);
    if (!tweets.has(header.tweetId)) {
      tweets.set(header.tweetId, { id: header.tweetId, text: `post ${header.tweetId}`, author_id: header.tweetAuthorId, created_at: header.tweetCreatedAt });
    }
    const seen = new Set<string>();
    for (const line of lines.slice(1)) {
      const json = JSON.parse(line) as { data?: Item[]; page?: { data?: Item[] } };
      const data = (header.format === "like2earn-xapi-v2" ? json.page?.data : json.data) ?? [];
      for (const it of data) {
        if (header.endpoint === "liking_users" || header.endpoint === "retweeted_by") {
          user(it.id, it.username, it.name);
          if (seen.has(it.id)) continue;
          seen.add(it.id);
          ((header.endpoint === "liking_users" ? likes : retweets)[header.tweetId] ??= []).push(it.id);
        } else {
          if (it.id === header.tweetId || tweets.has(it.id)) continue;
          user(it.author_id!);
          tweets.set(it.id, {
            id: it.id,
            text: it.text ?? `tweet ${it.id}`,
            author_id: it.author_id!,
            created_at: it.created_at!,
            ...(header.endpoint === "quote_tweets" ? { quoted_tweet_id: header.tweetId } : { conversation_id: header.tweetId, in_reply_to_tweet_id: header.tweetId }),
          });
        }
      }
    }
  }
  return { users: [...users.values()], tweets: [...tweets.values()], likes, retweets };
}
