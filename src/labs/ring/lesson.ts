// The ring lesson. What each text says about its run, and what its "Try" promises, is pinned
// in lesson.test.ts.
import type { LessonStep } from "../types.ts";

export const lesson: LessonStep[] = [
  {
    title: "Keys move to a newcomer, and only to it",
    scenario: "join-leave",
    text:
      "Five servers share 200 keys, three copies each, while three clients read and write them all along. " +
      "At 5 s s6 joins and 30 keys change owner, close to the ideal 200/6, streaming to it while the clients carry on; at 12 s s2 leaves and hands its 39 keys on, and no write is refused or lost. " +
      "Try: replay with one virtual node a server: the arcs turn lumpy, the spread of keys per server jumps from 11 % to 87 %, and s2's leaving moves 86 keys.",
    fix: { label: "One virtual node a server", set: [{ path: "params.vnodes", value: 1 }] },
  },
  {
    title: "hash mod N moves almost everything",
    scenario: "modulo",
    text:
      "The same join with each key on server hash(key) mod N: when N goes from 5 to 6, 171 of the 200 keys change owner and stream across the network. " +
      "Try: replay with jump consistent hash: the join moves 36 keys, every one of them to s6.",
    fix: { label: "Jump hash", set: [{ path: "params.strategy", value: "jump" }] },
  },
  {
    title: "Few virtual nodes, lumpy load",
    scenario: "vnodes",
    text:
      "With three virtual nodes a server the ring has fifteen arcs of chance lengths: s1 and s5 own 64 and 65 keys, s2 only 14, a spread of 55 % of the mean. " +
      "Try: replay with 500 virtual nodes a server: the arcs even out and the spread falls to 11 %.",
    fix: { label: "500 virtual nodes a server", set: [{ path: "params.vnodes", value: 500 }] },
  },
  {
    title: "Jump hash cannot remove a server from the middle",
    scenario: "jump",
    text:
      "Jump consistent hash numbers the servers 0 to N − 1 and needs no ring at all, but a server can only be added or removed at the end of the numbering. " +
      "At 5 s s2 leaves from the middle: s3, s4 and s5 are renumbered and 137 of the 200 keys move, against the 40 that were s2's share. " +
      "Try: at 5 s remove s5, the last, from the panel instead: only its 44 keys move.",
  },
  {
    title: "A hot key no placement fixes",
    scenario: "hot-key",
    text:
      "Half of all requests go to one key, k000000, so its three replicas s1, s2 and s5 are each sent about 190 to 210 requests while s3 and s4 get about 65. " +
      "Spreading keys evenly does not spread load when one key is hot. " +
      "Try: replay with rendezvous hashing: the hot key lives on s1, s3 and s5 instead, and those three carry the load.",
    fix: { label: "Rendezvous hashing", set: [{ path: "params.strategy", value: "rendezvous" }] },
  },
  {
    title: "A hot range on one shard",
    scenario: "hot-range",
    text:
      "Range sharding keeps neighbouring keys together, which makes scans cheap, and here half of all requests go to the first tenth of the keys, as recent timestamps or sequential ids do. " +
      "All 20 of those keys sit in s1's range, so s1 and the two ranges after it, its replicas s2 and s3, are each sent 178 to 188 requests while s4 and s5 get 84 and 85. " +
      "Try: replay with the ring: hashing scatters the 20 hot keys over all five servers, and no server gets more than 173 requests.",
    fix: { label: "Consistent hashing (ring)", set: [{ path: "params.strategy", value: "ring" }] },
  },
  {
    title: "A crashed server, served by its replicas",
    scenario: "crash",
    text:
      "s3 crashes at 3 s and stays down; every key it held has two more replicas, and a quorum of two of three still answers, so no request is refused and no write is lost. " +
      "Try: at 6 s crash s4 as well, from its menu: keys with two replicas down can no longer gather two answers, and 26 writes are refused.",
  },
  {
    title: "A partition under a strict quorum",
    scenario: "partition-strict",
    text:
      "With r = w = 2 of 3 replicas, every read meets every acknowledged write. " +
      "From 4 s to 12 s s1, s2 and c1 are cut off from the rest, and a request whose replicas are mostly on the other side cannot gather two answers: 20 writes are refused, and no read is ever stale — consistent, not available. " +
      "Try: replay with the sloppy quorum on: no write is refused.",
    fix: { label: "Sloppy quorum", set: [{ path: "params.sloppy", value: true }] },
  },
  {
    title: "A partition under a sloppy quorum",
    scenario: "partition-sloppy",
    text:
      "The same partition with a sloppy quorum: when a key's replicas do not answer, the client writes to servers it can reach, each keeping the value with a hint naming its home, so every write is accepted. " +
      "The price is a stale read, older than a write already acknowledged on the other side; at the heal the hints go home and nothing is lost. " +
      "Try: replay with r = w = 1: seven reads come back stale.",
    fix: {
      label: "r = w = 1",
      set: [
        { path: "params.r", value: 1 },
        { path: "params.w", value: 1 },
      ],
    },
  },
];
