/**
 * `irnn` — Le, Jaitly & Hinton 2015, "A simple way to initialize recurrent networks of rectified
 * linear units": the `rnn_relu` math with W_h = I and b = 0, so that at initialisation the state
 * is carried forward unchanged and dh_{t-1} = dh_t on active units. W_x ~ N(0, 0.001²) as in the
 * paper (and the Keras IRNN example).
 *
 * @module
 */
import { bias, gaussian, identity } from "../init.ts";
import { rnnRelu } from "./rnn_relu.ts";
import type { Cell } from "./types.ts";

export const irnn: Cell = {
  ...rnnRelu,
  name: "irnn",
  summary: "rnn_relu with identity W_h and zero bias (Le, Jaitly & Hinton 2015)",
  init: ({ inputSize: I, hidden: H, uniform }) => ({
    W_x: gaussian(uniform, [I, H], 0.001),
    W_h: identity(H),
    b: bias(H),
  }),
};
