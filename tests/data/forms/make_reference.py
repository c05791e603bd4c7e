#!/usr/bin/env python3
"""Independent reference trajectories for every (optimizer, form) pair.

Standard library only.  All arithmetic is `decimal.Decimal` at 60 significant digits (square roots by
Decimal.sqrt, correctly rounded at 60 digits; 0.96**(t*0.004) for PyTorch NAdam by Decimal's
non-integer power).  Hyperparameters are exact decimals ("0.6" is 6/10, not the binary double).

Problem: f(w1, w2) = 0.1*w1**2 + 2*w2**2, so the gradient is (0.2*w1, 4*w2), from (-5, -2).
Every optimizer is element-wise, so each update below is written for ONE component; the runner applies
it to w1 and w2 independently (f is separable, so even the Goodfellow look-ahead gradient of a component
depends on that component only).

Each form is a literal transcription, in the library's own order of operations, of the source cited in
its comment (commits and line numbers are in FORMS.md).  "t" is the 1-based call count: the library's
step counter after its increment (PyTorch `step_t += 1`, optax `count_inc`, Keras `iterations + 1`).
For ADOPT every call counts, so t = 1 is the initialising call that does not move w.

Output: forms-20.txt, one block per form:
    # <optimizer> <form> <name>=<value> ...
    t w1 w2            (t = 0 .. 20, t = 0 is the start; 40 significant digits, positional notation)

Usage: python3 make_reference.py [--steps N] [--out FILE] [--check]
"""
import argparse
import sys
from decimal import Decimal as D, getcontext, localcontext

getcontext().prec = 60

COEF = (D("0.2"), D(4))          # gradient of f: (0.2*w1, 4*w2)
START = (D(-5), D(-2))
ZERO, ONE = D(0), D(1)


def sqrt(x):
    if x < 0:
        raise ValueError("sqrt of a negative number: %s" % x)
    return x.sqrt()


def rsqrt(x):                    # jax.lax.rsqrt
    return ONE / sqrt(x)


def sign(x):                     # jnp.sign / keras.ops.sign: sign(0) = 0
    return (x > 0) - (x < 0)


def pw(b, t):                    # b ** t, t an integer (exact) or a Decimal (60-digit)
    return b ** t


def dmax(a, b):                  # torch.maximum / jnp.maximum / keras.ops.maximum
    return a if a >= b else b


def clamp(x, lo, hi):            # torch.clamp_ / jnp.clip
    return lo if x < lo else hi if x > hi else x


# ----------------------------------------------------------------------------------------------------
# Each maker takes the hyperparameters (Decimals) and returns upd(st, t, w, gf) -> new w, where st is the
# per-component state dict (empty at t = 1), w the component and gf(x) the component's gradient at x.
# ----------------------------------------------------------------------------------------------------

# ---------------------------------------------------------------- GD / plain SGD (all conventions)
def gd_course(lr):
    # stepwise src/optim/gd.rs python: "W = W - lr * dW"
    def upd(st, t, w, gf):
        dW = gf(w)
        W = w - lr * dW
        return W
    return upd


def gd_pytorch(lr):
    # torch/optim/sgd.py _single_tensor_sgd, momentum == 0: param.add_(grad, alpha=-lr)
    def upd(st, t, w, gf):
        grad = gf(w)
        return w + (-lr) * grad
    return upd


def gd_d2l(lr):
    # d2l chapter_optimization/gd.md gd_2d: return (x1 - eta * g1, x2 - eta * g2, 0, 0)
    def upd(st, t, w, gf):
        return w - lr * gf(w)
    return upd


def gd_optax(lr):
    # optax/_src/alias.py sgd(momentum=None): chain(identity, scale_by_learning_rate(lr)); apply_updates
    def upd(st, t, w, gf):
        u = gf(w)
        u = (-1 * lr) * u                   # transform.scale(m * learning_rate), m = -1
        return w + u                        # optax.apply_updates: p + u
    return upd


def gd_keras(lr):
    # keras/src/optimizers/sgd.py update_step, momentum == 0:
    #   assign_sub(variable, multiply(gradient, learning_rate))
    def upd(st, t, w, gf):
        return w - gf(w) * lr
    return upd


def gd_goodfellow(lr):
    # Goodfellow et al. Alg. 8.1 (SGD): theta <- theta - eps_k * g
    def upd(st, t, w, gf):
        return w - lr * gf(w)
    return upd


# ---------------------------------------------------------------- momentum
def momentum_course(lr, beta):
    # stepwise src/optim/momentum.rs python: V = beta * V + (1 - beta) * dW ; W = W - lr * V ; V0 = 0
    def upd(st, t, w, gf):
        dW = gf(w)
        st["V"] = beta * st.get("V", ZERO) + (1 - beta) * dW
        return w - lr * st["V"]
    return upd


def momentum_pytorch(lr, beta, dampening):
    # torch/optim/sgd.py _single_tensor_sgd (torch 2.15.0 lines 357-379):
    #   if buf is None: buf = grad.detach().clone()          (first step: no dampening)
    #   else:           buf.mul_(momentum).add_(grad, alpha=1 - dampening)
    #   grad = buf ; param.add_(grad, alpha=-lr)
    def upd(st, t, w, gf):
        grad = gf(w)
        if "buf" not in st:
            st["buf"] = grad
        else:
            st["buf"] = st["buf"] * beta + grad * (1 - dampening)
        return w + st["buf"] * (-lr)
    return upd


def momentum_d2l(lr, beta):
    # d2l chapter_optimization/momentum.md momentum_2d / sgd_momentum:
    #   v = beta * v + g ; p -= lr * v
    def upd(st, t, w, gf):
        st["v"] = beta * st.get("v", ZERO) + gf(w)
        return w - lr * st["v"]
    return upd


def momentum_optax(lr, beta):
    # optax sgd(momentum=beta): chain(trace(decay=beta), scale_by_learning_rate(lr))
    # optax/transforms/_accumulation.py trace: f = g + decay * t ; updates = new_trace
    def upd(st, t, w, gf):
        g = gf(w)
        st["trace"] = g + beta * st.get("trace", ZERO)
        u = (-1 * lr) * st["trace"]
        return w + u
    return upd


def momentum_keras(lr, beta):
    # keras/src/optimizers/sgd.py update_step (momentum != 0, nesterov False):
    #   m = m * momentum - gradient * learning_rate ; variable += m
    def upd(st, t, w, gf):
        g = gf(w)
        st["m"] = st.get("m", ZERO) * beta - g * lr
        return w + st["m"]
    return upd


def momentum_goodfellow(lr, beta):
    # Goodfellow Alg. 8.2: v <- alpha*v - eps*g ; theta <- theta + v
    def upd(st, t, w, gf):
        g = gf(w)
        st["v"] = beta * st.get("v", ZERO) - lr * g
        return w + st["v"]
    return upd


# ---------------------------------------------------------------- Nesterov
def nesterov_pytorch(lr, beta):
    # torch/optim/sgd.py _single_tensor_sgd with nesterov=True (dampening must be 0):
    #   buf = grad.clone() at first step, else buf.mul_(momentum).add_(grad, alpha=1)
    #   grad = grad.add(buf, alpha=momentum) ; param.add_(grad, alpha=-lr)
    def upd(st, t, w, gf):
        grad = gf(w)
        if "buf" not in st:
            st["buf"] = grad
        else:
            st["buf"] = st["buf"] * beta + grad * 1
        grad = grad + st["buf"] * beta
        return w + grad * (-lr)
    return upd


def nesterov_optax(lr, beta):
    # optax trace(decay, nesterov=True): new_trace = g + decay*t ; updates = g + decay*new_trace
    def upd(st, t, w, gf):
        g = gf(w)
        st["trace"] = g + beta * st.get("trace", ZERO)
        u = g + beta * st["trace"]
        u = (-1 * lr) * u
        return w + u
    return upd


def nesterov_keras(lr, beta):
    # keras/src/optimizers/sgd.py update_step (nesterov True):
    #   m = m * momentum - gradient * lr ; variable += m * momentum - gradient * lr
    def upd(st, t, w, gf):
        g = gf(w)
        st["m"] = st.get("m", ZERO) * beta - g * lr
        return w + (st["m"] * beta - g * lr)
    return upd


def nesterov_goodfellow(lr, beta):
    # Goodfellow Alg. 8.3: theta~ = theta + alpha*v ; g = grad(theta~) ; v = alpha*v - eps*g ; theta += v
    def upd(st, t, w, gf):
        v = st.get("v", ZERO)
        g = gf(w + beta * v)
        st["v"] = beta * v - lr * g
        return w + st["v"]
    return upd


# ---------------------------------------------------------------- RMSProp
def rmsprop_course(lr, gamma, eps):
    # stepwise src/optim/rmsprop.rs python: S = gamma*S + (1-gamma)*dW**2 ; W = W - lr*dW/np.sqrt(S+eps)
    def upd(st, t, w, gf):
        dW = gf(w)
        st["S"] = gamma * st.get("S", ZERO) + (1 - gamma) * dW ** 2
        return w - lr * dW / sqrt(st["S"] + eps)
    return upd


def rmsprop_d2l(lr, gamma, eps):
    # d2l chapter_optimization/rmsprop.md rmsprop_2d: s = gamma*s + (1-gamma)*g**2 ;
    #   x -= eta / math.sqrt(s + eps) * g
    def upd(st, t, w, gf):
        g = gf(w)
        st["s"] = gamma * st.get("s", ZERO) + (1 - gamma) * g ** 2
        return w - lr / sqrt(st["s"] + eps) * g
    return upd


def rmsprop_goodfellow(lr, gamma, eps):
    # Goodfellow Alg. 8.5: r = rho*r + (1-rho) g.g ; dtheta = -eps/sqrt(delta + r) . g ; theta += dtheta
    def upd(st, t, w, gf):
        g = gf(w)
        st["r"] = gamma * st.get("r", ZERO) + (1 - gamma) * g * g
        dtheta = -(lr / sqrt(eps + st["r"])) * g
        return w + dtheta
    return upd


def rmsprop_optax(lr, gamma, eps, momentum=None, centered=False):
    # optax/_src/alias.py rmsprop: chain(scale_by_rms | scale_by_stddev, scale_by_learning_rate(lr),
    #   trace(decay=momentum) if momentum is not None)
    # transform.py scale_by_rms (eps_in_sqrt=True): nu = (1-decay)*g**2 + decay*nu ; g * rsqrt(nu + eps)
    # transform.py scale_by_stddev: mu = (1-decay)*g + decay*mu ; g * rsqrt(nu - mu**2 + eps)
    def upd(st, t, w, gf):
        g = gf(w)
        st["nu"] = (1 - gamma) * g ** 2 + gamma * st.get("nu", ZERO)
        if centered:
            st["mu"] = (1 - gamma) * g + gamma * st.get("mu", ZERO)
            scaling = rsqrt(st["nu"] - st["mu"] ** 2 + eps)
        else:
            scaling = rsqrt(st["nu"] + eps)
        u = scaling * g
        u = (-1 * lr) * u
        if momentum is not None:
            st["trace"] = u + momentum * st.get("trace", ZERO)
            u = st["trace"]
        return w + u
    return upd


def rmsprop_keras(lr, gamma, eps, momentum=ZERO, centered=False):
    # keras/src/optimizers/rmsprop.py update_step:
    #   velocity = rho*velocity + (1-rho)*square(g)
    #   centered: average_grad = rho*average_grad + (1-rho)*g ; denominator = velocity - square(avg) + eps
    #   else:     denominator = velocity + eps
    #   increment = (lr*g) / sqrt(denominator)
    #   momentum > 0: momentum = momentum_coef*momentum + increment ; variable -= momentum
    #   else: variable -= increment
    def upd(st, t, w, gf):
        g = gf(w)
        st["velocity"] = gamma * st.get("velocity", ZERO) + (1 - gamma) * g ** 2
        if centered:
            st["avg"] = gamma * st.get("avg", ZERO) + (1 - gamma) * g
            denominator = st["velocity"] - st["avg"] ** 2 + eps
        else:
            denominator = st["velocity"] + eps
        increment = (lr * g) / sqrt(denominator)
        if momentum > 0:
            st["momentum"] = momentum * st.get("momentum", ZERO) + increment
            return w - st["momentum"]
        return w - increment
    return upd


def rmsprop_pytorch(lr, gamma, eps, momentum=ZERO, centered=False):
    # torch/optim/rmsprop.py _single_tensor_rmsprop (torch 2.15.0 lines 317-340):
    #   square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
    #   centered: grad_avg.lerp_(grad, 1 - alpha) ; avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
    #   else:     avg = square_avg.sqrt()
    #   avg = avg.add_(eps)                                   (eps OUTSIDE the root)
    #   momentum > 0: buf.mul_(momentum).addcdiv_(grad, avg) ; param.add_(buf, alpha=-lr)
    #   else:         param.addcdiv_(grad, avg, value=-lr)
    #   (square_avg, grad_avg, momentum_buffer all start at zeros)
    def upd(st, t, w, gf):
        grad = gf(w)
        st["square_avg"] = st.get("square_avg", ZERO) * gamma + grad * grad * (1 - gamma)
        if centered:
            ga = st.get("grad_avg", ZERO)
            st["grad_avg"] = ga + (1 - gamma) * (grad - ga)          # lerp_
            avg = sqrt(st["square_avg"] + st["grad_avg"] * st["grad_avg"] * (-1))
        else:
            avg = sqrt(st["square_avg"])
        avg = avg + eps
        if momentum > 0:
            st["buf"] = st.get("buf", ZERO) * momentum + grad / avg
            return w + st["buf"] * (-lr)
        return w + (-lr) * grad / avg
    return upd


def rmsprop_goodfellow_nesterov(lr, gamma, beta):
    # Goodfellow Alg. 8.6 (RMSProp with Nesterov momentum; no delta in the book's algorithm):
    #   theta~ = theta + alpha*v ; g = grad(theta~) ; r = rho*r + (1-rho) g.g
    #   v = alpha*v - eps/sqrt(r) . g ; theta = theta + v
    def upd(st, t, w, gf):
        v = st.get("v", ZERO)
        g = gf(w + beta * v)
        st["r"] = gamma * st.get("r", ZERO) + (1 - gamma) * g * g
        st["v"] = beta * v - lr / sqrt(st["r"]) * g
        return w + st["v"]
    return upd


# ---------------------------------------------------------------- AdaGrad
def adagrad_d2l(lr, eps):
    # d2l chapter_optimization/adagrad.md adagrad_2d: s += g**2 ; x -= eta / math.sqrt(s + eps) * g
    def upd(st, t, w, gf):
        g = gf(w)
        st["s"] = st.get("s", ZERO) + g ** 2
        return w - lr / sqrt(st["s"] + eps) * g
    return upd


def adagrad_goodfellow(lr, eps):
    # Goodfellow Alg. 8.4: r = r + g.g ; dtheta = -eps/(delta + sqrt(r)) . g ; theta += dtheta
    def upd(st, t, w, gf):
        g = gf(w)
        st["r"] = st.get("r", ZERO) + g * g
        dtheta = -(lr / (eps + sqrt(st["r"]))) * g
        return w + dtheta
    return upd


def adagrad_pytorch(lr, eps, initial_accumulator_value=ZERO, lr_decay=ZERO):
    # torch/optim/adagrad.py _single_tensor_adagrad (torch 2.15.0 lines 391-427):
    #   step_t += 1 ; clr = lr / (1 + (step - 1) * lr_decay)
    #   state_sum.addcmul_(grad, grad, value=1) ; std = state_sum.sqrt().add_(eps)
    #   param.addcdiv_(grad, std, value=-clr)
    #   state_sum starts at torch.full_like(p, initial_accumulator_value)
    def upd(st, t, w, gf):
        grad = gf(w)
        clr = lr / (1 + (t - 1) * lr_decay)
        st["sum"] = st.get("sum", initial_accumulator_value) + grad * grad * 1
        std = sqrt(st["sum"]) + eps
        return w + (-clr) * grad / std
    return upd


def adagrad_optax(lr, eps, initial_accumulator_value):
    # optax/_src/alias.py adagrad: chain(scale_by_rss(initial_accumulator_value, eps), scale_by_lr)
    # transform.py scale_by_rss: sum_of_squares = abs_sq(g) + t ;
    #   inv = where(t > 0, rsqrt(t + eps), 0) ; updates = inv * g
    def upd(st, t, w, gf):
        g = gf(w)
        st["sos"] = g * g + st.get("sos", initial_accumulator_value)
        inv = rsqrt(st["sos"] + eps) if st["sos"] > 0 else ZERO
        u = inv * g
        u = (-1 * lr) * u
        return w + u
    return upd


def adagrad_keras(lr, eps, initial_accumulator_value):
    # keras/src/optimizers/adagrad.py update_step: accumulator += square(g) ;
    #   variable -= (lr * g) / sqrt(accumulator + epsilon) ; accumulator starts at initial_accumulator_value
    def upd(st, t, w, gf):
        g = gf(w)
        st["acc"] = st.get("acc", initial_accumulator_value) + g ** 2
        return w - (lr * g) / sqrt(st["acc"] + eps)
    return upd


# ---------------------------------------------------------------- Adam family
def adam_course(lr, beta1, beta2, eps):
    # stepwise src/optim/adam.rs python (= Kingma & Ba Alg. 1):
    #   V = beta1*V + (1-beta1)*dW ; S = beta2*S + (1-beta2)*dW**2
    #   V_corr = V/(1-beta1**t) ; S_corr = S/(1-beta2**t) ; W = W - lr*V_corr/(np.sqrt(S_corr)+eps)
    def upd(st, t, w, gf):
        dW = gf(w)
        st["V"] = beta1 * st.get("V", ZERO) + (1 - beta1) * dW
        st["S"] = beta2 * st.get("S", ZERO) + (1 - beta2) * dW ** 2
        V_corr = st["V"] / (1 - pw(beta1, t))
        S_corr = st["S"] / (1 - pw(beta2, t))
        return w - lr * V_corr / (sqrt(S_corr) + eps)
    return upd


adam_paper = adam_course   # Kingma & Ba 2015 Alg. 1, literally the same statements
adam_d2l = adam_course     # d2l chapter_optimization/adam.md adam() (mxnet/pytorch tabs): same statements


def adam_goodfellow(lr, beta1, beta2, eps):
    # Goodfellow Alg. 8.7: s = rho1 s + (1-rho1) g ; r = rho2 r + (1-rho2) g.g ;
    #   s^ = s/(1-rho1^t) ; r^ = r/(1-rho2^t) ; dtheta = -eps s^/(sqrt(r^) + delta) ; theta += dtheta
    def upd(st, t, w, gf):
        g = gf(w)
        st["s"] = beta1 * st.get("s", ZERO) + (1 - beta1) * g
        st["r"] = beta2 * st.get("r", ZERO) + (1 - beta2) * g * g
        s_hat = st["s"] / (1 - pw(beta1, t))
        r_hat = st["r"] / (1 - pw(beta2, t))
        return w + (-lr * s_hat / (sqrt(r_hat) + eps))
    return upd


def _pytorch_adam_core(st, t, w, grad, lr, beta1, beta2, eps, amsgrad):
    # torch/optim/adam.py _single_tensor_adam, capturable=False branch (torch 2.15.0 lines 457-547):
    #   exp_avg.lerp_(grad, 1 - beta1) ; exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
    #   bias_correction1 = 1 - beta1**step ; bias_correction2 = 1 - beta2**step
    #   step_size = lr / bias_correction1 ; bias_correction2_sqrt = bias_correction2**0.5
    #   amsgrad: torch.maximum(max_exp_avg_sqs[i], exp_avg_sq, out=max_exp_avg_sqs[i])    (max of RAW S)
    #            denom = (max_exp_avg_sqs[i].sqrt() / bias_correction2_sqrt).add_(eps)
    #   else:    denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
    #   param.addcdiv_(exp_avg, denom, value=-step_size)
    ea = st.get("exp_avg", ZERO)
    st["exp_avg"] = ea + (1 - beta1) * (grad - ea)
    st["exp_avg_sq"] = st.get("exp_avg_sq", ZERO) * beta2 + grad * grad * (1 - beta2)
    bias_correction1 = 1 - pw(beta1, t)
    bias_correction2 = 1 - pw(beta2, t)
    step_size = lr / bias_correction1
    bias_correction2_sqrt = sqrt(bias_correction2)
    if amsgrad:
        st["max_exp_avg_sq"] = dmax(st.get("max_exp_avg_sq", ZERO), st["exp_avg_sq"])
        denom = sqrt(st["max_exp_avg_sq"]) / bias_correction2_sqrt + eps
    else:
        denom = sqrt(st["exp_avg_sq"]) / bias_correction2_sqrt + eps
    return w + (-step_size) * st["exp_avg"] / denom


def adam_pytorch(lr, beta1, beta2, eps):
    def upd(st, t, w, gf):
        return _pytorch_adam_core(st, t, w, gf(w), lr, beta1, beta2, eps, False)
    return upd


def amsgrad_pytorch(lr, beta1, beta2, eps):
    def upd(st, t, w, gf):
        return _pytorch_adam_core(st, t, w, gf(w), lr, beta1, beta2, eps, True)
    return upd


def adamw_pytorch(lr, beta1, beta2, eps, weight_decay):
    # torch/optim/adamw.py: AdamW = Adam(..., decoupled_weight_decay=True), default weight_decay 1e-2
    # torch/optim/adam.py _single_tensor_adam line 420: param.mul_(1 - lr * weight_decay), BEFORE the
    # moment updates; the gradient is the one computed at the undecayed parameter.
    def upd(st, t, w, gf):
        grad = gf(w)
        w = w * (1 - lr * weight_decay)
        return _pytorch_adam_core(st, t, w, grad, lr, beta1, beta2, eps, False)
    return upd


def _optax_scale_by_adam(st, t, g, beta1, beta2, eps, eps_root=ZERO, nesterov=False):
    # optax/_src/transform.py scale_by_adam:
    #   mu = (1-b1)*g + b1*mu ; nu = (1-b2)*g**2 + b2*nu ; count_inc = count + 1
    #   nesterov: mu_hat = b1 * bc(mu, b1, count_inc + 1) + (1-b1) * bc(g, b1, count_inc)
    #   else:     mu_hat = bc(mu, b1, count_inc)           where bc(m, d, c) = m / (1 - d**c)
    #   nu_hat = bc(nu, b2, count_inc) ; updates = mu_hat / (sqrt(nu_hat + eps_root) + eps)
    st["mu"] = (1 - beta1) * g + beta1 * st.get("mu", ZERO)
    st["nu"] = (1 - beta2) * g ** 2 + beta2 * st.get("nu", ZERO)
    if nesterov:
        mu_hat = beta1 * (st["mu"] / (1 - pw(beta1, t + 1))) + (1 - beta1) * (g / (1 - pw(beta1, t)))
    else:
        mu_hat = st["mu"] / (1 - pw(beta1, t))
    nu_hat = st["nu"] / (1 - pw(beta2, t))
    return mu_hat / (sqrt(nu_hat + eps_root) + eps)


def adam_optax(lr, beta1, beta2, eps, eps_root=ZERO):
    # optax/_src/alias.py adam: chain(scale_by_adam(...), scale_by_learning_rate(lr))
    def upd(st, t, w, gf):
        u = _optax_scale_by_adam(st, t, gf(w), beta1, beta2, eps, eps_root)
        u = (-1 * lr) * u
        return w + u
    return upd


def adam_eps_in(lr, beta1, beta2, eps):
    # eps inside the root after bias correction: optax.adam(lr, eps=0, eps_root=eps)
    #   updates = mu_hat / (sqrt(nu_hat + eps_root) + 0)
    return adam_optax(lr, beta1, beta2, ZERO, eps_root=eps)


def nadam_optax(lr, beta1, beta2, eps):
    # optax/_src/alias.py: nadam = functools.partial(adam, nesterov=True)
    def upd(st, t, w, gf):
        u = _optax_scale_by_adam(st, t, gf(w), beta1, beta2, eps, ZERO, nesterov=True)
        u = (-1 * lr) * u
        return w + u
    return upd


def amsgrad_optax(lr, beta1, beta2, eps):
    # optax/_src/transform.py scale_by_amsgrad (bias_correction_mu = bias_correction_nu = True):
    #   mu, nu as Adam ; mu_hat = mu/(1-b1**c) ; nu_eff = nu/(1-b2**c)
    #   nu_max = maximum(state.nu_max, nu_eff)            (max of the BIAS-CORRECTED nu)
    #   updates = mu_hat / (sqrt(nu_max + eps_root) + eps)
    def upd(st, t, w, gf):
        g = gf(w)
        st["mu"] = (1 - beta1) * g + beta1 * st.get("mu", ZERO)
        st["nu"] = (1 - beta2) * g ** 2 + beta2 * st.get("nu", ZERO)
        mu_hat = st["mu"] / (1 - pw(beta1, t))
        nu_eff = st["nu"] / (1 - pw(beta2, t))
        st["nu_max"] = dmax(st.get("nu_max", ZERO), nu_eff)
        u = mu_hat / (sqrt(st["nu_max"] + ZERO) + eps)
        u = (-1 * lr) * u
        return w + u
    return upd


def adamw_optax(lr, beta1, beta2, eps, weight_decay):
    # optax/_src/alias.py adamw: chain(scale_by_adam, add_decayed_weights(wd), scale_by_learning_rate)
    # optax/transforms/_adding.py add_decayed_weights: updates = g + s * p   (p = params before the step)
    def upd(st, t, w, gf):
        u = _optax_scale_by_adam(st, t, gf(w), beta1, beta2, eps)
        u = u + weight_decay * w
        u = (-1 * lr) * u
        return w + u
    return upd


def _keras_adam_core(st, t, w, gradient, lr, beta1, beta2, eps, amsgrad):
    # keras/src/optimizers/adam.py update_step:
    #   local_step = iterations + 1 ; beta_1_power = beta_1**local_step ; beta_2_power = beta_2**local_step
    #   alpha = lr * sqrt(1 - beta_2_power) / (1 - beta_1_power)
    #   m += (gradient - m) * (1 - beta_1) ; v += (square(gradient) - v) * (1 - beta_2)
    #   amsgrad: v_hat = maximum(v_hat, v) ; v = v_hat           (max of RAW v)
    #   variable -= (m * alpha) / (sqrt(v) + epsilon)
    alpha = lr * sqrt(1 - pw(beta2, t)) / (1 - pw(beta1, t))
    m = st.get("m", ZERO)
    st["m"] = m + (gradient - m) * (1 - beta1)
    v = st.get("v", ZERO)
    st["v"] = v + (gradient ** 2 - v) * (1 - beta2)
    v = st["v"]
    if amsgrad:
        st["v_hat"] = dmax(st.get("v_hat", ZERO), st["v"])
        v = st["v_hat"]
    return w - (st["m"] * alpha) / (sqrt(v) + eps)


def adam_keras(lr, beta1, beta2, eps):
    def upd(st, t, w, gf):
        return _keras_adam_core(st, t, w, gf(w), lr, beta1, beta2, eps, False)
    return upd


def amsgrad_keras(lr, beta1, beta2, eps):
    def upd(st, t, w, gf):
        return _keras_adam_core(st, t, w, gf(w), lr, beta1, beta2, eps, True)
    return upd


def adamw_keras(lr, beta1, beta2, eps, weight_decay):
    # keras/src/optimizers/adamw.py: AdamW(Adam) with weight_decay (default 0.004)
    # keras/src/optimizers/base_optimizer.py apply(): grads clipped, then _apply_weight_decay:
    #   variable.assign(variable - variable * wd * lr)  BEFORE _backend_update_step (gradient unchanged)
    def upd(st, t, w, gf):
        gradient = gf(w)
        w = w - w * weight_decay * lr
        return _keras_adam_core(st, t, w, gradient, lr, beta1, beta2, eps, False)
    return upd


# ---------------------------------------------------------------- ADOPT
def adopt_official(lr, beta1, beta2, eps):
    # iShohei220/adopt src/adopt/adopt.py _single_tensor_adopt (commit 6468572, lines 300-321):
    #   if step == 0: exp_avg_sq.addcmul_(grad, grad) ; step_t += 1 ; continue      (no move)
    #   denom = torch.clamp(exp_avg_sq.sqrt(), eps) ; normed_grad = grad.div(denom)
    #   clip = clip_lambda(step) = step**0.25 ; normed_grad.clamp_(-clip, clip)
    #   exp_avg.lerp_(normed_grad, 1 - beta1) ; param.add_(exp_avg, alpha=-lr)
    #   exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2) ; step_t += 1
    # Here t is the 1-based call count, so the library's `step` (before its increment) is t - 1.
    def upd(st, t, w, gf):
        grad = gf(w)
        step = t - 1
        if step == 0:
            st["exp_avg_sq"] = ZERO + grad * grad
            st["exp_avg"] = ZERO
            return w
        denom = dmax(sqrt(st["exp_avg_sq"]), eps)
        normed_grad = grad / denom
        clip = sqrt(sqrt(D(step)))                       # step ** 0.25
        normed_grad = clamp(normed_grad, -clip, clip)
        ea = st["exp_avg"]
        st["exp_avg"] = ea + (1 - beta1) * (normed_grad - ea)
        w = w + st["exp_avg"] * (-lr)
        st["exp_avg_sq"] = st["exp_avg_sq"] * beta2 + grad * grad * (1 - beta2)
        return w
    return upd


def adopt_optax(lr, beta1, beta2, eps):
    # optax/contrib/_adopt.py scale_by_adopt (use_clipping=True, nesterov=False) + scale_by_learning_rate:
    #   b2_ = b2 if count > 0 else 0 ; b1_ = b1 if count > 0 else 1
    #   nu = (1-b2_)*g**2 + b2_*nu
    #   mu_updates = clip(g / maximum(sqrt(state.nu), eps), -count**0.25, count**0.25)   (OLD nu)
    #   mu = (1-b1_)*mu_updates + b1_*mu ; updates = mu ; count += 1
    # At count 0 the clip is 0**0.25 = 0 and b1_ = 1, so mu stays 0 and w does not move.
    def upd(st, t, w, gf):
        g = gf(w)
        count = t - 1
        b2_ = beta2 if count > 0 else ZERO
        b1_ = beta1 if count > 0 else ONE
        old_nu = st.get("nu", ZERO)
        st["nu"] = (1 - b2_) * g ** 2 + b2_ * old_nu
        clip_value = sqrt(sqrt(D(count)))
        mu_updates = clamp(g / dmax(sqrt(old_nu), eps), -clip_value, clip_value)
        st["mu"] = (1 - b1_) * mu_updates + b1_ * st.get("mu", ZERO)
        u = st["mu"]
        u = (-1 * lr) * u
        return w + u
    return upd


# ---------------------------------------------------------------- NAdam
def nadam_pytorch(lr, beta1, beta2, eps, momentum_decay):
    # torch/optim/nadam.py _single_tensor_nadam (torch 2.15.0 lines 331-381), mu_product starts at 1:
    #   bias_correction2 = 1 - beta2**step
    #   mu = beta1 * (1 - 0.5 * 0.96**(step * momentum_decay))
    #   mu_next = beta1 * (1 - 0.5 * 0.96**((step + 1) * momentum_decay))
    #   mu_product *= mu
    #   exp_avg.lerp_(grad, 1 - beta1) ; exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
    #   denom = exp_avg_sq.div(bias_correction2).sqrt() ; mu_product_next = mu_product * mu_next
    #   denom.add_(eps)
    #   param.addcdiv_(grad, denom, value=-lr * (1 - mu) / (1 - mu_product))
    #   param.addcdiv_(exp_avg, denom, value=(-lr * mu_next) / (1 - mu_product_next))
    def upd(st, t, w, gf):
        grad = gf(w)
        bias_correction2 = 1 - pw(beta2, t)
        mu = beta1 * (1 - D("0.5") * pw(D("0.96"), t * momentum_decay))
        mu_next = beta1 * (1 - D("0.5") * pw(D("0.96"), (t + 1) * momentum_decay))
        st["mu_product"] = st.get("mu_product", ONE) * mu
        ea = st.get("exp_avg", ZERO)
        st["exp_avg"] = ea + (1 - beta1) * (grad - ea)
        st["exp_avg_sq"] = st.get("exp_avg_sq", ZERO) * beta2 + grad * grad * (1 - beta2)
        denom = sqrt(st["exp_avg_sq"] / bias_correction2)
        mu_product_next = st["mu_product"] * mu_next
        denom = denom + eps
        w = w + (-lr * (1 - mu) / (1 - st["mu_product"])) * grad / denom
        w = w + ((-lr * mu_next) / (1 - mu_product_next)) * st["exp_avg"] / denom
        return w
    return upd


def nadam_keras(lr, beta1, beta2, eps):
    # keras/src/optimizers/nadam.py:
    #   _backend_update_step (before the per-variable update):
    #     u_product = u_product * beta_1 * (1 - 0.5 * 0.96**(iterations + 1))      (u_product starts at 1)
    #   update_step: local_step = iterations + 1 ; next_step = iterations + 2
    #     u_t = beta_1 * (1 - 0.5 * 0.96**local_step) ; u_t_1 = beta_1 * (1 - 0.5 * 0.96**next_step)
    #     u_product_t_1 = u_product_t * u_t_1 ; beta_2_power = beta_2**local_step
    #     m += (g - m) * (1 - beta_1) ; v += (square(g) - v) * (1 - beta_2)
    #     m_hat = u_t_1 * m / (1 - u_product_t_1) + (1 - u_t) * g / (1 - u_product_t)
    #     v_hat = v / (1 - beta_2_power) ; variable -= (m_hat * lr) / (sqrt(v_hat) + epsilon)
    # NB: 0.96**t, NOT 0.96**(0.004 t) as in PyTorch (and in the old Keras 2 `schedule_decay`).
    def upd(st, t, w, gf):
        g = gf(w)
        st["u_product"] = st.get("u_product", ONE) * beta1 * (1 - D("0.5") * pw(D("0.96"), t))
        u_t = beta1 * (1 - D("0.5") * pw(D("0.96"), t))
        u_t_1 = beta1 * (1 - D("0.5") * pw(D("0.96"), t + 1))
        u_product_t = st["u_product"]
        u_product_t_1 = u_product_t * u_t_1
        beta_2_power = pw(beta2, t)
        m = st.get("m", ZERO)
        st["m"] = m + (g - m) * (1 - beta1)
        v = st.get("v", ZERO)
        st["v"] = v + (g ** 2 - v) * (1 - beta2)
        m_hat = u_t_1 * st["m"] / (1 - u_product_t_1) + (1 - u_t) * g / (1 - u_product_t)
        v_hat = st["v"] / (1 - beta_2_power)
        return w - (m_hat * lr) / (sqrt(v_hat) + eps)
    return upd


# ---------------------------------------------------------------- Adadelta
def adadelta_pytorch(lr, rho, eps):
    # torch/optim/adadelta.py _single_tensor_adadelta (torch 2.15.0 lines 293-303):
    #   square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho) ; std = square_avg.add(eps).sqrt_()
    #   delta = acc_delta.add(eps).sqrt_() ; delta.div_(std).mul_(grad)
    #   acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho) ; param.add_(delta, alpha=-lr)
    def upd(st, t, w, gf):
        grad = gf(w)
        st["square_avg"] = st.get("square_avg", ZERO) * rho + grad * grad * (1 - rho)
        std = sqrt(st["square_avg"] + eps)
        delta = sqrt(st.get("acc_delta", ZERO) + eps)
        delta = delta / std * grad
        st["acc_delta"] = st.get("acc_delta", ZERO) * rho + delta * delta * (1 - rho)
        return w + delta * (-lr)
    return upd


def adadelta_optax(lr, rho, eps):
    # optax/_src/alias.py adadelta: chain(add_decayed_weights(0), scale_by_adadelta, scale_by_learning_rate)
    # transform.py scale_by_adadelta: e_g = (1-rho)*g**2 + rho*e_g ;
    #   updates = (sqrt(prev_e_x + eps) / sqrt(cur_e_g + eps)) * g ; e_x = (1-rho)*updates**2 + rho*e_x
    def upd(st, t, w, gf):
        g = gf(w)
        st["e_g"] = (1 - rho) * g ** 2 + rho * st.get("e_g", ZERO)
        u = (sqrt(st.get("e_x", ZERO) + eps) / sqrt(st["e_g"] + eps)) * g
        st["e_x"] = (1 - rho) * u ** 2 + rho * st.get("e_x", ZERO)
        u = (-1 * lr) * u
        return w + u
    return upd


def adadelta_keras(lr, rho, eps):
    # keras/src/optimizers/adadelta.py update_step: rms(x) = sqrt(x + epsilon)
    #   accumulated_grad = rho*accumulated_grad + (1-rho)*square(grad)
    #   delta_var = -(rms(accumulated_delta_var) * grad / rms(accumulated_grad))
    #   accumulated_delta_var = rho*accumulated_delta_var + (1-rho)*square(delta_var)
    #   variable += lr * delta_var
    def upd(st, t, w, gf):
        grad = gf(w)
        st["acc_g"] = rho * st.get("acc_g", ZERO) + (1 - rho) * grad ** 2
        delta_var = -((sqrt(st.get("acc_dx", ZERO) + eps) * grad) / sqrt(st["acc_g"] + eps))
        st["acc_dx"] = rho * st.get("acc_dx", ZERO) + (1 - rho) * delta_var ** 2
        return w + lr * delta_var
    return upd


def adadelta_d2l(lr, rho, eps):
    # d2l chapter_optimization/adadelta.md adadelta(): (no learning rate; lr = 1 here)
    #   s = rho*s + (1-rho)*g**2 ; g' = (sqrt(delta + eps) / sqrt(s + eps)) * g ; p -= g'
    #   delta = rho*delta + (1-rho)*g'*g'
    def upd(st, t, w, gf):
        g = gf(w)
        st["s"] = rho * st.get("s", ZERO) + (1 - rho) * g ** 2
        gp = (sqrt(st.get("delta", ZERO) + eps) / sqrt(st["s"] + eps)) * g
        w = w - lr * gp
        st["delta"] = rho * st.get("delta", ZERO) + (1 - rho) * gp * gp
        return w
    return upd


# ---------------------------------------------------------------- Lion
MARGINS = {}   # smallest |argument of sign| met per form (robustness of the sign for 28-digit engines)


def _note_margin(key, x):
    MARGINS[key] = min(MARGINS.get(key, abs(x)), abs(x))


def lion_optax(lr, beta1, beta2, weight_decay):
    # optax/_src/alias.py lion: chain(scale_by_lion(b1, b2), add_decayed_weights(wd=1e-3 default),
    #   scale_by_learning_rate(lr))
    # transform.py scale_by_lion (mode 'hard'): updates = sign((1-b1)*g + b1*m) ; m = (1-b2)*g + b2*m
    def upd(st, t, w, gf):
        g = gf(w)
        m = st.get("mu", ZERO)
        x = (1 - beta1) * g + beta1 * m
        _note_margin(("lion", "optax"), x)
        u = D(sign(x))
        st["mu"] = (1 - beta2) * g + beta2 * m
        u = u + weight_decay * w
        u = (-1 * lr) * u
        return w + u
    return upd


def lion_keras(lr, beta1, beta2, weight_decay=None):
    # keras/src/optimizers/lion.py update_step:
    #   variable -= lr * sign(m*beta_1 + gradient*(1-beta_1)) ; m = m*beta_2 + gradient*(1-beta_2)
    # weight_decay (default None) would be applied before, by base_optimizer._apply_weight_decay.
    def upd(st, t, w, gf):
        gradient = gf(w)
        if weight_decay is not None:
            w = w - w * weight_decay * lr
        m = st.get("m", ZERO)
        x = m * beta1 + gradient * (1 - beta1)
        _note_margin(("lion", "keras"), x)
        w = w - lr * sign(x)
        st["m"] = m * beta2 + gradient * (1 - beta2)
        return w
    return upd


# ----------------------------------------------------------------------------------------------------
# The catalogue: (optimizer, form, maker, hyperparameters as (name, decimal string) in header order)
# ----------------------------------------------------------------------------------------------------
def H(**kw):
    return list(kw.items())


GD = H(lr="0.4")
MOM = H(lr="0.6", beta="0.5")
RMS = H(lr="0.3", gamma="0.9", eps="1e-6")
ADA = H(lr="0.4", eps="1e-6")
ADAM = H(lr="0.2", beta1="0.9", beta2="0.999", eps="1e-6")
ADAMW = ADAM + H(weight_decay="0.01")
ADOPT = H(lr="0.1", beta1="0.9", beta2="0.9999", eps="1e-6")

FORMS = [
    ("gd", "course", gd_course, GD),
    ("gd", "pytorch", gd_pytorch, GD),
    ("gd", "d2l", gd_d2l, GD),
    ("gd", "optax", gd_optax, GD),
    ("gd", "keras", gd_keras, GD),
    ("gd", "goodfellow", gd_goodfellow, GD),

    ("momentum", "course", momentum_course, MOM),
    ("momentum", "pytorch", momentum_pytorch, MOM + H(dampening="0")),
    ("momentum", "pytorch-dampening", momentum_pytorch, MOM + H(dampening="0.5")),
    ("momentum", "d2l", momentum_d2l, MOM),
    ("momentum", "optax", momentum_optax, MOM),
    ("momentum", "keras", momentum_keras, MOM),
    ("momentum", "goodfellow", momentum_goodfellow, MOM),

    ("nesterov", "pytorch", nesterov_pytorch, MOM),
    ("nesterov", "optax", nesterov_optax, MOM),
    ("nesterov", "keras", nesterov_keras, MOM),
    ("nesterov", "goodfellow", nesterov_goodfellow, MOM),

    ("rmsprop", "course", rmsprop_course, RMS),
    ("rmsprop", "d2l", rmsprop_d2l, RMS),
    ("rmsprop", "goodfellow", rmsprop_goodfellow, RMS),
    ("rmsprop", "optax", rmsprop_optax, RMS),
    ("rmsprop", "keras", rmsprop_keras, RMS),
    ("rmsprop", "pytorch", rmsprop_pytorch, RMS),
    ("rmsprop", "pytorch-centered", rmsprop_pytorch, RMS + H(centered=True)),
    ("rmsprop", "pytorch-momentum", rmsprop_pytorch, RMS + H(momentum="0.5")),
    ("rmsprop", "pytorch-centered-momentum", rmsprop_pytorch, RMS + H(momentum="0.5", centered=True)),
    ("rmsprop", "optax-centered", rmsprop_optax, RMS + H(centered=True)),
    ("rmsprop", "optax-momentum", rmsprop_optax, RMS + H(momentum="0.5")),
    ("rmsprop", "keras-centered", rmsprop_keras, RMS + H(centered=True)),
    ("rmsprop", "keras-momentum", rmsprop_keras, RMS + H(momentum="0.5")),
    ("rmsprop", "goodfellow-nesterov", rmsprop_goodfellow_nesterov, H(lr="0.3", gamma="0.9", beta="0.5")),

    ("adagrad", "d2l", adagrad_d2l, ADA),
    ("adagrad", "goodfellow", adagrad_goodfellow, ADA),
    ("adagrad", "pytorch", adagrad_pytorch, ADA + H(initial_accumulator_value="0", lr_decay="0")),
    ("adagrad", "pytorch-acc0.1", adagrad_pytorch, ADA + H(initial_accumulator_value="0.1", lr_decay="0")),
    ("adagrad", "pytorch-lr-decay", adagrad_pytorch, ADA + H(initial_accumulator_value="0", lr_decay="0.1")),
    ("adagrad", "optax", adagrad_optax, ADA + H(initial_accumulator_value="0.1")),
    ("adagrad", "optax-acc0", adagrad_optax, ADA + H(initial_accumulator_value="0")),
    ("adagrad", "keras", adagrad_keras, ADA + H(initial_accumulator_value="0.1")),

    ("adam", "course", adam_course, ADAM),
    ("adam", "paper", adam_paper, ADAM),
    ("adam", "d2l", adam_d2l, ADAM),
    ("adam", "goodfellow", adam_goodfellow, ADAM),
    ("adam", "pytorch", adam_pytorch, ADAM),
    ("adam", "optax", adam_optax, ADAM),
    ("adam", "keras", adam_keras, ADAM),
    ("adam", "eps-in", adam_eps_in, ADAM),

    ("amsgrad", "pytorch", amsgrad_pytorch, ADAM),
    ("amsgrad", "optax", amsgrad_optax, ADAM),
    ("amsgrad", "keras", amsgrad_keras, ADAM),

    ("adamw", "pytorch", adamw_pytorch, ADAMW),
    ("adamw", "optax", adamw_optax, ADAMW),
    ("adamw", "keras", adamw_keras, ADAMW),

    ("adopt", "official", adopt_official, ADOPT),
    ("adopt", "optax", adopt_optax, ADOPT),

    ("nadam", "pytorch", nadam_pytorch, H(lr="0.2", beta1="0.9", beta2="0.999", eps="1e-8",
                                          momentum_decay="0.004")),
    ("nadam", "keras", nadam_keras, H(lr="0.2", beta1="0.9", beta2="0.999", eps="1e-7")),
    ("nadam", "optax", nadam_optax, H(lr="0.2", beta1="0.9", beta2="0.999", eps="1e-8")),

    ("adadelta", "pytorch", adadelta_pytorch, H(lr="1.0", rho="0.9", eps="1e-6")),
    ("adadelta", "optax", adadelta_optax, H(lr="1.0", rho="0.9", eps="1e-6")),
    ("adadelta", "keras", adadelta_keras, H(lr="1.0", rho="0.95", eps="1e-7")),
    ("adadelta", "d2l", adadelta_d2l, H(lr="1", rho="0.9", eps="1e-5")),

    ("lion", "optax", lion_optax, H(lr="0.15", beta1="0.9", beta2="0.99", weight_decay="0.001")),
    ("lion", "keras", lion_keras, H(lr="0.15", beta1="0.9", beta2="0.99")),
]


def _value(v):
    return v if isinstance(v, bool) else D(v)


def run(maker, hp, steps):
    upd = maker(**{k: _value(v) for k, v in hp})
    traj = [tuple(START)]
    states = [{}, {}]
    w = list(START)
    for t in range(1, steps + 1):
        for i in range(2):
            c = COEF[i]
            w[i] = upd(states[i], t, w[i], lambda x, c=c: c * x)
        traj.append(tuple(w))
    return traj


def fmt(x, digits=40):
    """x rounded (half-even) to `digits` significant digits, positional notation, trailing zeros kept."""
    if x == 0:
        return "0"
    with localcontext() as c:
        c.prec = digits
        y = +x
        y = y.quantize(D(1).scaleb(y.adjusted() - digits + 1))
    return format(y, "f")


def header(opt, form, hp):
    def show(v):
        return ("true" if v else "false") if isinstance(v, bool) else v
    return "# %s %s %s" % (opt, form, " ".join("%s=%s" % (k, show(v)) for k, v in hp))


def check():
    """The check values of /work/shared/reference/optimizer-conventions.md."""
    def at(opt, form, t):
        for o, f, mk, hp in FORMS:
            if (o, f) == (opt, form):
                return run(mk, hp, t)[t]
        raise KeyError((opt, form))

    expected = [
        ("gd", "pytorch", 2, ("-4.232", "-0.72")),
        ("momentum", "pytorch", 2, ("-3.572", "-1.52")),
        ("momentum", "pytorch-dampening", 2, ("-3.836", "1.84")),
        ("nesterov", "pytorch", 1, ("-4.1", "5.2")),
        ("nesterov", "goodfellow", 1, ("-4.4", "2.8")),
        ("adopt", "official", 1, ("-5", "-2")),
        ("adopt", "official", 2, ("-4.99", "-1.99")),
        ("adopt", "official", 3, ("-4.97102", "-1.97105")),
        ("adopt", "optax", 3, ("-4.97102", "-1.97105")),
    ]
    ok = True
    for opt, form, t, exp in expected:
        got = at(opt, form, t)
        good = all(abs(g - D(e)) < D("1e-50") for g, e in zip(got, exp))
        ok &= good
        print("%-4s %s %s step %d: got (%s, %s), expected (%s, %s)"
              % ("ok" if good else "FAIL", opt, form, t, fmt(got[0], 12), fmt(got[1], 12), *exp))
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--out", default="forms-20.txt")
    ap.add_argument("--check", action="store_true", help="only verify the reference file's check values")
    a = ap.parse_args()
    if a.check:
        sys.exit(0 if check() else 1)
    lines = []
    for opt, form, maker, hp in FORMS:
        lines.append(header(opt, form, hp))
        for t, (w1, w2) in enumerate(run(maker, hp, a.steps)):
            lines.append("%d %s %s" % (t, fmt(w1), fmt(w2)))
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %d forms to %s" % (len(FORMS), a.out))
    for key, m in sorted(MARGINS.items()):
        print("smallest |sign argument| for %s %s: %s" % (key + (fmt(m, 6),)))
    ok = check()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
