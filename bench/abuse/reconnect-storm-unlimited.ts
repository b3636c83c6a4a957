/** bench/abuse/reconnect-storm.ts with the per-address connection rate turned off: the "before". */
import { reconnectStorm } from "./reconnect-storm.ts";

export default reconnectStorm("reconnect storm (no rate)", { AGENTBOX_CONNECTION_RATE_PER_S: "0" });
