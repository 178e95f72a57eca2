import { router } from '../trpc';

/** クリニック設定: the facility's name, address, phone, 医療機関コード and departments (issue #14). */
export const clinicRouter = router({});
