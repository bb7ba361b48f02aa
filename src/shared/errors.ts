/**
 * Stable error codes, their HTTP status and the default Chinese message a user can act on.
 * Domain and store code throw AppError; only the server maps it to a response.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, message: '提交的内容有误，请检查后重试' },
  BAD_REQUEST: { status: 400, message: '请求格式不正确' },
  IMPORT_FAILED: { status: 400, message: '导入失败，文件中有错误' },
  UNAUTHENTICATED: { status: 401, message: '请先登录' },
  SESSION_EXPIRED: { status: 401, message: '长时间未操作，已自动退出，请重新登录' },
  INVALID_CREDENTIALS: { status: 401, message: '用户名或密码错误' },
  TOTP_REQUIRED: { status: 401, message: '请输入动态验证码' },
  TOTP_INVALID: { status: 401, message: '动态验证码错误' },
  FORBIDDEN: { status: 403, message: '您的角色无权进行此操作' },
  AREA_FORBIDDEN: { status: 403, message: '所选区域不在您的管辖范围内' },
  CSRF_FAILED: { status: 403, message: '页面已过期，请刷新后重试' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, message: '请先修改密码' },
  TOTP_ENROLLMENT_REQUIRED: { status: 403, message: '您的账号须先启用两步验证（手机验证器动态验证码），完成后才能使用其他功能' },
  ACCOUNT_DISABLED: { status: 403, message: '账号已停用，请联系系统管理员' },
  NOT_FOUND: { status: 404, message: '没有找到该记录' },
  CONFLICT: { status: 409, message: '记录已被他人修改，请刷新后重试' },
  DUPLICATE: { status: 409, message: '记录重复' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '上传的文件过大' },
  ACCOUNT_LOCKED: { status: 429, message: '连续登录失败次数过多，账号已锁定，请15分钟后再试' },
  RATE_LIMITED: { status: 429, message: '操作过于频繁，请稍后再试' },
  INTERNAL: { status: 500, message: '服务器内部错误，请稍后重试或联系系统管理员' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetail {
  row?: number;
  column?: string;
  field?: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | undefined;
  /** Extra answer fields, e.g. the lock-out end time. */
  readonly extra: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: ErrorDetail[], extra?: Record<string, unknown>) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.extra = extra;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export function errorBody(code: ErrorCode, message?: string, details?: ErrorDetail[]) {
  return { error: { code, message: message ?? ERROR_CODES[code].message, ...(details ? { details } : {}) } };
}
