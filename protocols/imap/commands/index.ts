/** Every command, by name. */
import type { ImapCommand } from "../command.ts";
import { append } from "./append.ts";
import { authenticate } from "./authenticate.ts";
import { cancelupdate } from "./cancelupdate.ts";
import { capability } from "./capability.ts";
import { close, unselect } from "./close.ts";
import { compress } from "./compress.ts";
import { copy, move } from "./copy.ts";
import { create } from "./create.ts";
import { deleteMailbox } from "./delete.ts";
import { enable } from "./enable.ts";
import { expunge } from "./expunge.ts";
import { fetch } from "./fetch.ts";
import { id } from "./id.ts";
import { idle } from "./idle.ts";
import { list, lsub } from "./list.ts";
import { login } from "./login.ts";
import { logout } from "./logout.ts";
import { namespace } from "./namespace.ts";
import { check, noop } from "./noop.ts";
import { notify } from "./notify.ts";
import { getquota, getquotaroot, setquota } from "./quota.ts";
import { rename } from "./rename.ts";
import { search } from "./search.ts";
import { examine, selectMailbox } from "./select.ts";
import { sort } from "./sort.ts";
import { starttls } from "./starttls.ts";
import { status } from "./status.ts";
import { store } from "./store.ts";
import { subscribe, unsubscribe } from "./subscribe.ts";
import { thread } from "./thread.ts";
import { genurlauth, resetkey, urlfetch } from "./urlauth.ts";

const ALL: ImapCommand[] = [
  append,
  authenticate,
  cancelupdate,
  capability,
  check,
  close,
  compress,
  copy,
  create,
  deleteMailbox,
  enable,
  examine,
  expunge,
  fetch,
  genurlauth,
  getquota,
  getquotaroot,
  id,
  idle,
  list,
  login,
  logout,
  lsub,
  move,
  namespace,
  noop,
  notify,
  rename,
  resetkey,
  search,
  selectMailbox,
  setquota,
  sort,
  starttls,
  status,
  store,
  subscribe,
  thread,
  unselect,
  unsubscribe,
  urlfetch,
];

export const COMMANDS = new Map(ALL.map((c) => [c.name, c]));
