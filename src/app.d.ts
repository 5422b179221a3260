import type { Logger } from '$lib/server/log';
import type { Runtime } from '$lib/server/runtime';
import type { StaffPrincipal } from '$lib/server/services/principal';

declare global {
  namespace App {
    interface Locals {
      runtime: Runtime;
      log: Logger;
      reqId: string;
      principal: StaffPrincipal | null;
    }
    interface Error {
      message: string;
      code?: string;
      errorId?: string;
    }
  }
}

export {};
